namespace Verify.Delivery.Providers;

/// <summary>Applies delivery receipts to their verifications and counts them in metrics.</summary>
internal interface IDeliveryReceiptSink
{
    /// <summary>
    /// Updates the delivery status of the verification the provider's message belongs to. A receipt for
    /// an unknown or expired message is counted and otherwise ignored: the answer says which.
    /// </summary>
    ValueTask<ReceiptOutcome> ApplyAsync(DeliveryReceipt receipt, CancellationToken cancellationToken);
}
