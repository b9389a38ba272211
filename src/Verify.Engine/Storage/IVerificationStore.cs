using Verify.Delivery.Providers;
using Verify.Engine.Throttling;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage;

/// <summary>
/// Where verifications and throttle counters live. Every method is one atomic step. One implementation,
/// <see cref="Redis.RedisVerificationStore"/>, over redis-server, a cluster, or the embedded server in
/// development (the same scripts); the engine's tests also put substitutes here. A store that cannot
/// answer throws <see cref="StoreUnavailableException"/>: Verify fails closed.
/// </summary>
internal interface IVerificationStore
{
    /// <summary>Refuses (lock, cooldown, windows) or counts the send and stores the code, atomically.</summary>
    ValueTask<StartResult> StartAsync(StartCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the send delivered to the channel (and remembers its <see cref="SendOutcome.Handoff"/> for
    /// receipts), or refunds it: counters, cooldown and record as before the start.
    /// </summary>
    ValueTask CompleteSendAsync(SendOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>By id or by number and purpose: compares, counts the attempt, consumes on success, burns on another transaction, atomically.</summary>
    ValueTask<CheckOutcome> CheckAsync(CheckCommand command, CancellationToken cancellationToken);

    /// <summary>The live verification, if <paramref name="owner"/> started it.</summary>
    ValueTask<VerificationRecord?> GetAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Cancels the live verification, if <paramref name="owner"/> started it.</summary>
    ValueTask<CancelOutcome> CancelAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a delivery receipt: finds the send by the provider's message id and moves the
    /// verification's delivery status forward (<see cref="Verification.DeliveryProgress"/>) when that
    /// send is still the verification's current one.
    /// </summary>
    ValueTask<ReceiptApplication> ApplyReceiptAsync(DeliveryReceipt receipt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Counts an approval towards the pumping guard of the counters that have one (prefix, country).</summary>
    ValueTask RecordApprovalAsync(IReadOnlyList<CounterLimit> counters, string approvalId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Whether the store answers now; drives /readyz and the gRPC health status.</summary>
    ValueTask<bool> PingAsync(CancellationToken cancellationToken);
}
