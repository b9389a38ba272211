using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Engine.Storage;

namespace Verify.Engine.Verification;

/// <summary>
/// Where every receipt goes, from any provider: the store moves the verification's delivery status
/// forward, and the first final word on each message is counted, with its latency when delivered.
/// </summary>
internal sealed partial class DeliveryReceiptProcessor(IVerificationStore store, DeliveryMetrics metrics, TimeProvider timeProvider, ILogger<DeliveryReceiptProcessor> logger) : IDeliveryReceiptSink
{
    public async ValueTask<ReceiptOutcome> ApplyAsync(DeliveryReceipt receipt, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var applied = await store.ApplyReceiptAsync(receipt, now, cancellationToken);
        if (applied.Handoff is not { } handoff)
        {
            Log.Unknown(logger, receipt.Provider, receipt.State);
            return applied.Outcome;
        }

        if (applied.FirstFinal)
        {
            var at = receipt.At is { } reported && reported >= handoff.SentAt && reported <= now ? reported : now;
            metrics.Receipt(receipt.Provider, handoff.RegionCode, Status(receipt.State),
                receipt.State == DeliveryState.Delivered ? at - handoff.SentAt : null);
        }

        Log.Applied(logger, handoff.VerificationId, receipt.Provider, receipt.State, receipt.ProviderStatus ?? "-", applied.Outcome);
        return applied.Outcome;
    }

    private static string Status(DeliveryState state) => state switch
    {
        DeliveryState.Delivered => "delivered",
        DeliveryState.Undelivered => "undelivered",
        _ => "failed",
    };

    private static partial class Log
    {
        [LoggerMessage(330, LogLevel.Information, "Receipt from {Provider}: verification {Id} {State} (provider status {ProviderStatus}): {Outcome}.")]
        public static partial void Applied(ILogger logger, string id, string provider, DeliveryState state, string providerStatus, ReceiptOutcome outcome);

        [LoggerMessage(331, LogLevel.Information, "Receipt from {Provider} ({State}) for a message Verify does not know or no longer keeps.")]
        public static partial void Unknown(ILogger logger, string provider, DeliveryState state);
    }
}
