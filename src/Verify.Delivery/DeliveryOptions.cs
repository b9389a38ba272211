namespace Verify.Delivery;

/// <summary>
/// <c>Verify:Delivery</c>: the providers that send codes (<c>Providers:&lt;name&gt;</c>, each with a
/// <c>Type</c>), which of them serve which purpose, country and channel (<c>Routes</c>), and where the
/// providers reach Verify with their receipts. Without <c>Providers</c>, one provider is implied: the
/// webhook when <c>Webhook:Url</c> is set, else the console.
/// </summary>
internal sealed class DeliveryOptions
{
    public const string SectionName = "Verify:Delivery";

    /// <summary>
    /// Without <c>Providers</c>: "console" or "webhook". Defaults to "webhook" when <c>Webhook:Url</c>
    /// is set, else "console", which Production refuses, since it prints codes to standard output.
    /// </summary>
    public string? Sender { get; set; }

    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>
    /// Verify's address as providers see it, e.g. https://verify.example.com: each provider that reports
    /// deliveries is told to post them to <c>{PublicBaseUrl}/delivery/receipts/{name}</c>. Unset: no
    /// callback URL is sent (receipts can still be configured at the provider's console).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Tried in order; the first whose purposes, countries and channel match the send is used.</summary>
    public List<DeliveryRouteOptions> Routes { get; set; } = [];

    public string ResolveSender() => Sender?.ToLowerInvariant() ?? (Webhook.Url is null ? "console" : "webhook");
}
