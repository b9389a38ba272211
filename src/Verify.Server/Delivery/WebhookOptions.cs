namespace Verify.Server.Delivery;

/// <summary>
/// The generic HTTP sender: <c>Verify:Delivery:Webhook</c>, or a provider of <c>Type</c> "webhook"
/// under <c>Verify:Delivery:Providers:&lt;name&gt;</c>.
/// </summary>
internal sealed class WebhookOptions
{
    /// <summary>Where each message is POSTed as JSON. http or https.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// When set, each request carries <c>X-Verify-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>
    /// so the receiver can tell Verify from a forger and refuse replays. At least 16 characters.
    /// </summary>
    public string? SigningSecret { get; set; }
}
