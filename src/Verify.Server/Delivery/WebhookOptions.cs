namespace Verify.Server.Delivery;

/// <summary>The generic HTTP sender, <c>Verify:Delivery:Webhook</c>.</summary>
internal sealed class WebhookOptions
{
    /// <summary>Where each message is POSTed as JSON. http or https.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// When set, each request carries <c>X-Verify-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>
    /// so the receiver can tell Verify from a forger and refuse replays. At least 16 characters.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>How long to wait for the answer, 100 ms to 30 s. Defaults to 5 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
