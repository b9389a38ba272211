namespace Verify.Delivery;

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
    /// so the receiver can tell Verify from a forger and refuse replays; and the receiver may post delivery
    /// receipts back, signed the same way. At least 16 characters.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// Retries after a connection failure or HTTP 408, 429, 500, 502, 503, 504, each with the same
    /// Idempotency-Key; 0 to 5. They stop when the router's per-provider timeout cancels the send.
    /// </summary>
    public int Retries { get; set; } = 2;

    /// <summary>The wait before the first retry, doubled for each next one, capped at 2 s, with jitter (half to all of it); 1 ms to 2 s.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);
}
