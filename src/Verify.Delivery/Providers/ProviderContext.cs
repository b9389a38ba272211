namespace Verify.Delivery.Providers;

/// <summary>What a provider's sender and receipt endpoint know of their configuration, read live.</summary>
internal sealed class ProviderContext(string name, string type, Func<object> settings, Func<Uri?> receiptUrl, IDeliveryReceiptSink receipts)
{
    /// <summary>The configured name, e.g. "twilio-eu": the key under <c>Verify:Delivery:Providers</c>, in logs and metrics.</summary>
    public string Name { get; } = name;

    public string Type { get; } = type;

    /// <summary>
    /// Where the provider should post its receipts: <c>Verify:Delivery:PublicBaseUrl</c> +
    /// <c>/delivery/receipts/&lt;name&gt;</c>, or null when no public URL is configured (send no callback URL then).
    /// </summary>
    public Uri? ReceiptUrl => receiptUrl();

    /// <summary>Where receipts go once read, for channels that receive them outside HTTP (SMPP deliver_sm).</summary>
    public IDeliveryReceiptSink Receipts { get; } = receipts;

    /// <summary>The provider's own settings as last validated: read it per send, so a reload applies.</summary>
    public T Settings<T>()
        where T : class => (T)settings();
}
