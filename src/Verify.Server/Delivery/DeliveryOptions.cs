namespace Verify.Server.Delivery;

/// <summary>Which channel sends codes, from <c>Verify:Delivery</c>.</summary>
internal sealed class DeliveryOptions
{
    public const string SectionName = "Verify:Delivery";

    /// <summary>
    /// "console" or "webhook". Defaults to "webhook" when <c>Verify:Delivery:Webhook:Url</c> is set,
    /// else "console" — which Production refuses, since it prints codes to standard output.
    /// </summary>
    public string? Sender { get; set; }

    public WebhookOptions Webhook { get; set; } = new();

    public string ResolveSender() => Sender?.ToLowerInvariant() ?? (Webhook.Url is null ? "console" : "webhook");
}
