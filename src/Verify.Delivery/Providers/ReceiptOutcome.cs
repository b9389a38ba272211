namespace Verify.Delivery.Providers;

/// <summary>What a receipt did.</summary>
internal enum ReceiptOutcome
{
    /// <summary>The verification's delivery status changed.</summary>
    Applied,

    /// <summary>A message Verify sent, but the receipt changes nothing (older than the current send, or the verification has ended).</summary>
    Stale,

    /// <summary>No message Verify sent has this id at this provider (or its record has expired).</summary>
    Unknown,
}
