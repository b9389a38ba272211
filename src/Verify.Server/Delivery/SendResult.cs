namespace Verify.Server.Delivery;

/// <summary>What the channel said: accepted (with its message id when it gives one) or refused, and why.</summary>
internal sealed record SendResult(bool Accepted, string? ProviderMessageId, string? Error)
{
    public static SendResult Success(string? providerMessageId = null) => new(true, providerMessageId, null);

    public static SendResult Failure(string error) => new(false, null, error);
}
