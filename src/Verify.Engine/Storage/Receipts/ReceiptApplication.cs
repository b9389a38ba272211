using Verify.Delivery.Providers;

namespace Verify.Engine.Storage;

/// <summary>
/// What a receipt did in the store. <see cref="Handoff"/> is the message it names (null when unknown);
/// <see cref="FirstFinal"/> says this is the first final word on that message (delivered, undelivered
/// or failed), so metrics count each message's fate once however often the provider repeats it.
/// </summary>
internal sealed record ReceiptApplication(ReceiptOutcome Outcome, DeliveryHandoff? Handoff, bool FirstFinal)
{
    public static ReceiptApplication Unknown { get; } = new(ReceiptOutcome.Unknown, null, false);
}
