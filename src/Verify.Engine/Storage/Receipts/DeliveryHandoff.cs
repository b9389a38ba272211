namespace Verify.Engine.Storage;

/// <summary>
/// A message a provider took, remembered until <see cref="KeepUntil"/> so that its receipts find their
/// verification: the provider's message id names the verification, the send, and when and where it went.
/// </summary>
internal sealed record DeliveryHandoff(string Provider, string ProviderMessageId, string VerificationId, string SendId, DateTimeOffset SentAt, string RegionCode)
{
    public required DateTimeOffset KeepUntil { get; init; }

    /// <summary>
    /// How long a message's receipts are taken: an hour, or the code's lifetime when longer. Later than
    /// that the code has long expired and the receipt would change nothing a caller can see.
    /// </summary>
    public static TimeSpan ReceiptWindow(TimeSpan codeTtl) => codeTtl > TimeSpan.FromHours(1) ? codeTtl : TimeSpan.FromHours(1);
}
