namespace Verify.Delivery;

/// <summary>
/// What the channel said: accepted (with its message id, which its delivery receipts name) or refused,
/// and why. <see cref="Provider"/> names the configured provider that answered; the router sets it.
/// </summary>
internal sealed record SendResult(bool Accepted, string? ProviderMessageId, string? Error)
{
    public string? Provider { get; init; }

    /// <summary>
    /// Whether the failure says the provider is unwell (unreachable, 5xx, throttling us, refusing our
    /// credentials), which its circuit breaker counts; false when it refused this message (its number,
    /// its content, a template we have not mapped), which says nothing of the provider, so that
    /// well-formed numbers a provider refuses cannot open every breaker of a route.
    /// </summary>
    public bool ProviderFault { get; init; } = true;

    public static SendResult Success(string? providerMessageId = null) => new(true, providerMessageId, null);

    /// <summary>The provider could not take the message: it counts against the provider's breaker.</summary>
    public static SendResult Failure(string error) => new(false, null, error);

    /// <summary>The provider (or our configuration of it) refused this message: the router tries the next provider, the breaker counts nothing.</summary>
    public static SendResult Rejected(string error) => new(false, null, error) { ProviderFault = false };

    /// <summary><see cref="Rejected"/> when the provider's answer refuses this message, else <see cref="Failure"/>.</summary>
    public static SendResult Refused(string error, bool messageRefused) => messageRefused ? Rejected(error) : Failure(error);
}
