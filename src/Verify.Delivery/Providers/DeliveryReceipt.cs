
namespace Verify.Delivery.Providers;

/// <summary>
/// One receipt: the provider (configured name) and the message id it returned when it took the message,
/// what became of the message, and the provider's own status or error code, for the logs.
/// </summary>
internal sealed record DeliveryReceipt(string Provider, string ProviderMessageId, DeliveryState State)
{
    /// <summary>The provider's status or error code as sent, e.g. "DELIVRD", "30003"; printable, short.</summary>
    public string? ProviderStatus { get; init; }

    /// <summary>When the provider says the handset got it (or gave up), if it says.</summary>
    public DateTimeOffset? At { get; init; }
}
