namespace Verify.Server.Delivery;

/// <summary>
/// What the channel said: accepted (with its message id, which its delivery receipts name) or refused,
/// and why. <see cref="Provider"/> names the configured provider that answered; the router sets it.
/// </summary>
internal sealed record SendResult(bool Accepted, string? ProviderMessageId, string? Error)
{
    public string? Provider { get; init; }

    public static SendResult Success(string? providerMessageId = null) => new(true, providerMessageId, null);

    public static SendResult Failure(string error) => new(false, null, error);
}
