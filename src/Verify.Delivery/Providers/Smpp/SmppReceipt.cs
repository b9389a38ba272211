
namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// What a delivery receipt says: the SMSC's message id, its state name (the stat of SMPP v3.4 Appendix B,
/// e.g. "DELIVRD"), the error code when there is one, and the state it means for Verify (null: ignored).
/// </summary>
internal sealed record SmppReceipt(string MessageId, string Stat, string? Error, DeliveryState? State);
