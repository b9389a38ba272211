using Verify.Delivery.Providers;
using Verify.Server.Verification;

namespace Verify.Server.Storage;

/// <summary>Delivery receipts: the messages providers took, by provider and message id.</summary>
internal sealed partial class InMemoryVerificationStore
{
    private readonly Dictionary<(string Provider, string MessageId), (DeliveryHandoff Handoff, bool Final)> _handoffs = [];

    public ValueTask<ReceiptApplication> ApplyReceiptAsync(DeliveryReceipt receipt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var key = (receipt.Provider, receipt.ProviderMessageId);
            if (!_handoffs.TryGetValue(key, out var entry) || entry.Handoff.KeepUntil <= now)
            {
                _handoffs.Remove(key);
                return ValueTask.FromResult(ReceiptApplication.Unknown);
            }

            var handoff = entry.Handoff;
            var firstFinal = !entry.Final && DeliveryProgress.IsFinal(receipt.State);
            if (firstFinal)
            {
                _handoffs[key] = (handoff, true);
            }

            var record = GetLive(handoff.VerificationId, now);
            if (record is null || record.LastSendId != handoff.SendId || !DeliveryProgress.CanMove(record.DeliveryStatus, receipt.State))
            {
                return ValueTask.FromResult(new ReceiptApplication(ReceiptOutcome.Stale, handoff, firstFinal));
            }

            _records[record.Id] = record with { DeliveryStatus = receipt.State };
            return ValueTask.FromResult(new ReceiptApplication(ReceiptOutcome.Applied, handoff, firstFinal));
        }
    }

    private void RememberHandoff(DeliveryHandoff? handoff)
    {
        if (handoff is not null)
        {
            _handoffs[(handoff.Provider, handoff.ProviderMessageId)] = (handoff, false);
        }
    }

    private void SweepHandoffs(DateTimeOffset now)
    {
        foreach (var key in _handoffs.Where(h => h.Value.Handoff.KeepUntil <= now).Select(h => h.Key).ToList())
        {
            _handoffs.Remove(key);
        }
    }
}
