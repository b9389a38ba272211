using System.Globalization;
using StackExchange.Redis;
using Verify.Delivery.Providers;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>A provider's receipt: the hand-off written at the send, found by the provider's message id, and the record's delivery status moved.</summary>
internal sealed partial class RedisVerificationStore
{
    public async ValueTask<ReceiptApplication> ApplyReceiptAsync(DeliveryReceipt receipt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handoffKey = keys.Handoff(receipt.Provider, receipt.ProviderMessageId);
        var handoffParameters = new RedisScripts.HandoffParameters(handoffKey);
        var read = await redis.EvaluateAsync(RedisScripts.ReadHandoff, handoffParameters, cancellationToken);
        if (read.IsNull)
        {
            return ReceiptApplication.Unknown;
        }

        var fields = (RedisResult[])read!;
        var handoff = new DeliveryHandoff(
            receipt.Provider,
            receipt.ProviderMessageId,
            (string)fields[0]!,
            (string)fields[1]!,
            DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]),
            (string)fields[3]!) { KeepUntil = now };
        var moved = VerificationId.IsWellFormed(handoff.VerificationId)
            && (long)await redis.EvaluateAsync(
                RedisScripts.ApplyDelivery,
                new RedisScripts.ApplyDeliveryParameters(keys.Record(handoff.VerificationId), RedisRecordCodec.Ms(now), RedisAdmissions.SendIdBytes(handoff.SendId), (int)receipt.State),
                cancellationToken) == 1;
        var firstFinal = DeliveryProgress.IsFinal(receipt.State)
            && (long)await redis.EvaluateAsync(RedisScripts.MarkHandoffFinal, handoffParameters, cancellationToken) == 1;
        return new ReceiptApplication(moved ? ReceiptOutcome.Applied : ReceiptOutcome.Stale, handoff, firstFinal);
    }

    /// <summary>One key per message, "id|send id|sent at ms|region|final", kept until the receipt window ends.</summary>
    private async Task RememberHandoffAsync(DeliveryHandoff handoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var value = string.Join('|', handoff.VerificationId, handoff.SendId, RedisRecordCodec.Ms(handoff.SentAt).ToString(CultureInfo.InvariantCulture), handoff.RegionCode, "0");
        var keep = handoff.KeepUntil - now;
        if (keep <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await redis.RunAsync(database => database.StringSetAsync(keys.Handoff(handoff.Provider, handoff.ProviderMessageId), value, keep), cancellationToken);
        }
        catch (StoreUnavailableException exception)
        {
            // The code is out and counted; only its receipts will not find it. Not worth failing the start.
            Log.HandoffFailed(logger, handoff.VerificationId, exception.Message);
        }
    }
}
