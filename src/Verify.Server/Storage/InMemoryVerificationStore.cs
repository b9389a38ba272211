using System.Security.Cryptography;
using Verify.Delivery;
using Verify.Server.Throttling;
using Verify.Server.Verification;

namespace Verify.Server.Storage;

/// <summary>
/// The embedded store for development and tests: the same semantics as the Redis store, made atomic by
/// one lock (every operation is short and does no I/O). Windows are exact sliding logs. Expired entries
/// go at the next access and in a sweep every 30 seconds. Refused in Production: its state dies with
/// the process and is not shared between replicas.
/// </summary>
internal sealed partial class InMemoryVerificationStore : IVerificationStore, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _sync = new();
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, VerificationRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Phone, string Purpose), string> _idsByPhone = [];
    private readonly Dictionary<(string Phone, string Purpose), DateTimeOffset> _cooldowns = [];
    private readonly Dictionary<(string Phone, string Purpose), (int Failures, DateTimeOffset LockedUntil, DateTimeOffset LastFailure)> _lockouts = [];
    private readonly InMemoryCounters _counters = new();
    private readonly ITimer _sweeper;

    public InMemoryVerificationStore(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _sweeper = timeProvider.CreateTimer(static state => ((InMemoryVerificationStore)state!).Sweep(), this, SweepInterval, SweepInterval);
    }

    public ValueTask<StartResult> StartAsync(StartCommand command, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(Start(command));
        }
    }

    public ValueTask CompleteSendAsync(SendOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var stored = outcome.Start.Record;
            var current = _records.GetValueOrDefault(stored.Id);
            var isCurrentSend = current is not null && current.LastSendId == stored.LastSendId;
            if (outcome.Delivered)
            {
                if (isCurrentSend)
                {
                    _records[stored.Id] = current! with { DeliveryStatus = DeliveryState.Sent };
                }

                RememberHandoff(outcome.Handoff);
            }
            else
            {
                Refund(outcome, isCurrentSend);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<CheckResult> CheckAsync(CheckCommand command, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(Check(command));
        }
    }

    public ValueTask<string?> FindIdAsync(string phoneNumber, string purpose, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(OwnedBy(FindLive(phoneNumber, purpose, now), owner)?.Id);
        }
    }

    public ValueTask<VerificationRecord?> GetAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(OwnedBy(GetLive(id, now), owner));
        }
    }

    public ValueTask<CancelResult> CancelAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var record = OwnedBy(GetLive(id, now), owner);
            if (record is null)
            {
                return ValueTask.FromResult<CancelResult>(CancelResult.NotFound.Instance);
            }

            if (record.Status != VerificationState.Pending)
            {
                return ValueTask.FromResult<CancelResult>(new CancelResult.NotPending(record));
            }

            // The cooldown stays: cancel-and-start must not become a way around it.
            Remove(record);
            return ValueTask.FromResult<CancelResult>(new CancelResult.Canceled(record with { Status = VerificationState.Canceled }));
        }
    }

    public ValueTask RecordApprovalAsync(IReadOnlyList<CounterLimit> counters, string approvalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _counters.RecordApproval(counters, now);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> PingAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public void Dispose() => _sweeper.Dispose();

    private StartResult Start(StartCommand command)
    {
        var now = command.Now;
        var policy = command.Policy;
        var phoneKey = (command.PhoneNumber, command.Purpose);
        var existing = FindLive(command.PhoneNumber, command.Purpose, now);

        var ownExisting = OwnedBy(existing, command.Owner);
        if (ownExisting is not null && command.IdempotencyKey is not null && ownExisting.IdempotencyKey == command.IdempotencyKey)
        {
            return new StartResult.Replayed(ownExisting);
        }

        var previousCooldown = _cooldowns.TryGetValue(phoneKey, out var until) && until > now ? until : (DateTimeOffset?)null;
        if (!command.Safe)
        {
            if ((RecordRefusal(command, existing, previousCooldown) ?? _counters.FirstRefusal(command, now)) is { } refusal)
            {
                return refusal;
            }

            _counters.Count(command);

            // No cooldown is no cooldown: an end of "now" would refuse a concurrent start a tick behind.
            if (policy.ResendCooldown > TimeSpan.Zero)
            {
                _cooldowns[phoneKey] = now + policy.ResendCooldown;
            }
        }

        // Another caller's pending verification is replaced by a new one of this caller's, not resent.
        var record = ownExisting is { Status: VerificationState.Pending }
            ? Resend(ownExisting, command)
            : Create(existing, command);

        if (existing is not null && existing.Id != record.Id)
        {
            _records.Remove(existing.Id);
        }

        _records[record.Id] = record;
        _idsByPhone[phoneKey] = record.Id;
        return new StartResult.Stored(record, existing, previousCooldown);
    }

    /// <summary>What refuses a start at the number's own level: a lockout, a locked verification, the cooldown.</summary>
    private StartResult.Throttled? RecordRefusal(StartCommand command, VerificationRecord? existing, DateTimeOffset? cooldownEnd)
    {
        var now = command.Now;
        if (_lockouts.TryGetValue((command.PhoneNumber, command.Purpose), out var lockout) && lockout.LockedUntil > now)
        {
            return Throttled(ThrottleMessages.Lockout, command, lockout.LockedUntil - now);
        }

        if (existing is { Status: VerificationState.MaxAttemptsReached })
        {
            return Throttled(ThrottleMessages.Attempts, command, existing.ExpiresAt - now);
        }

        return cooldownEnd is { } end ? Throttled(ThrottleMessages.Cooldown, command, end - now) : null;
    }

    private static VerificationRecord Resend(VerificationRecord pending, StartCommand command)
    {
        var now = command.Now;
        var code = command.Code;
        var keepPrevious = command.Policy.KeepPreviousCodeOnResend
            && pending.Code.ExpiresAt > now
            && SameTransaction(pending.Code.TransactionFingerprint, code.TransactionFingerprint);
        var previous = keepPrevious ? pending.Code : null;
        return pending with
        {
            Code = code,
            PreviousCode = previous,
            ExpiresAt = previous is null || code.ExpiresAt > previous.ExpiresAt ? code.ExpiresAt : previous.ExpiresAt,
            NextSendAt = now + command.Policy.ResendCooldown,
            SendCount = pending.SendCount + 1,
            DeliveryStatus = DeliveryState.Queued,
            Channel = command.Channel,
            Locale = command.Locale,
            IdempotencyKey = command.IdempotencyKey,
            LastSendId = command.SendId,
        };
    }

    private static VerificationRecord Create(VerificationRecord? replaced, StartCommand command)
    {
        var now = command.Now;
        var policy = command.Policy;
        return new VerificationRecord
        {
            Id = command.NewId,
            PhoneNumber = command.PhoneNumber,
            Purpose = command.Purpose,
            Locale = command.Locale,
            Status = VerificationState.Pending,
            CreatedAt = now,
            ExpiresAt = command.Code.ExpiresAt,
            NextSendAt = now + policy.ResendCooldown,
            MaxAttempts = policy.MaxAttempts,

            // A burned verification's wrong guesses carry over: a new code never resets the count.
            FailedAttempts = replaced?.FailedAttempts ?? 0,
            SendCount = 1,
            DeliveryStatus = DeliveryState.Queued,
            Channel = command.Channel,
            Code = command.Code,
            CodeLength = policy.CodeLength,
            Alphabet = policy.Alphabet,
            IdempotencyKey = command.IdempotencyKey,
            LastSendId = command.SendId,
            Owner = command.Owner,
        };
    }

    private void Refund(SendOutcome outcome, bool isCurrentSend)
    {
        var start = outcome.Start;
        var record = start.Record;
        _counters.Refund(outcome.Command);

        if (!isCurrentSend)
        {
            // A newer start has replaced this one since: leave its state alone.
            return;
        }

        var phoneKey = (record.PhoneNumber, record.Purpose);
        if (start.PreviousCooldownUntil is { } until)
        {
            _cooldowns[phoneKey] = until;
        }
        else
        {
            _cooldowns.Remove(phoneKey);
        }

        _records.Remove(record.Id);
        _idsByPhone.Remove(phoneKey);
        if (start.Previous is { } previous)
        {
            _records[previous.Id] = previous;
            _idsByPhone[phoneKey] = previous.Id;
        }
    }

    private CheckResult Check(CheckCommand command)
    {
        var id = command.Id ?? _idsByPhone.GetValueOrDefault((command.PhoneNumber!, command.Purpose!));
        var record = id is null ? null : OwnedBy(GetLive(id, command.Now), command.Owner);
        if (record is null)
        {
            return CheckResult.NotFound.Instance;
        }

        var phoneKey = (record.PhoneNumber, record.Purpose);
        var lockout = _lockouts.GetValueOrDefault(phoneKey);
        if (lockout.LockedUntil > command.Now)
        {
            return new CheckResult.Throttled(ThrottleMessages.Lockout, ThrottleMessages.LockedOut(lockout.Failures), lockout.LockedUntil - command.Now);
        }

        if (record.Status is not VerificationState.Pending)
        {
            return new CheckResult.Checked(false, record);
        }

        if (command.CodeLength != record.CodeLength || !command.Fits(record.Alphabet))
        {
            return new CheckResult.Malformed(record.CodeLength);
        }

        var presentedTransaction = command.Hashes.FirstOrDefault(h => h.KeyId == record.Code.KeyId)?.Transaction;
        if (!SameTransaction(record.Code.TransactionFingerprint, presentedTransaction))
        {
            var burned = record with { Status = VerificationState.Failed };
            _records[record.Id] = burned;
            CountFailure(phoneKey, command);
            return new CheckResult.Checked(false, burned);
        }

        if (Matches(record.Code, command) || (record.PreviousCode is { } previous && previous.ExpiresAt > command.Now && Matches(previous, command)))
        {
            Remove(record);
            _cooldowns.Remove(phoneKey);
            _lockouts.Remove(phoneKey);
            return new CheckResult.Checked(true, record with { Status = VerificationState.Approved });
        }

        var failed = record.FailedAttempts + 1;
        var after = record with
        {
            FailedAttempts = failed,
            Status = failed >= record.MaxAttempts ? VerificationState.MaxAttemptsReached : VerificationState.Pending,
        };
        _records[record.Id] = after;
        CountFailure(phoneKey, command);
        return new CheckResult.Checked(false, after);
    }

    /// <summary>One more wrong code in a row for the number and purpose; enough of them lock it out.</summary>
    private void CountFailure((string Phone, string Purpose) phoneKey, CheckCommand command)
    {
        var failures = _lockouts.GetValueOrDefault(phoneKey).Failures + 1;
        var lockedUntil = command.Lockouts.TryGetValue(phoneKey.Purpose, out var rule) && failures >= rule.MaxFailures
            ? command.Now + rule.Duration
            : DateTimeOffset.MinValue;
        _lockouts[phoneKey] = (failures, lockedUntil, command.Now);
    }

    private static bool Matches(StoredCode code, CheckCommand command) =>
        command.Hashes.FirstOrDefault(h => h.KeyId == code.KeyId) is { } hash && CryptographicOperations.FixedTimeEquals(hash.Code, code.Hash);

    private static bool SameTransaction(byte[]? stored, byte[]? presented) =>
        (stored, presented) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            _ => CryptographicOperations.FixedTimeEquals(stored, presented),
        };

    private static StartResult.Throttled Throttled(string subject, StartCommand command, TimeSpan retryAfter) =>
        new(subject, ThrottleMessages.Describe(subject, command), retryAfter);

    private static VerificationRecord? OwnedBy(VerificationRecord? record, string owner) =>
        record is not null && record.Owner == owner ? record : null;

    private VerificationRecord? FindLive(string phoneNumber, string purpose, DateTimeOffset now) =>
        _idsByPhone.TryGetValue((phoneNumber, purpose), out var id) ? GetLive(id, now) : null;

    private VerificationRecord? GetLive(string id, DateTimeOffset now)
    {
        if (!_records.TryGetValue(id, out var record))
        {
            return null;
        }

        if (record.ExpiresAt > now)
        {
            return record;
        }

        Remove(record);
        return null;
    }

    private void Remove(VerificationRecord record)
    {
        _records.Remove(record.Id);
        var phoneKey = (record.PhoneNumber, record.Purpose);
        if (_idsByPhone.TryGetValue(phoneKey, out var id) && id == record.Id)
        {
            _idsByPhone.Remove(phoneKey);
        }
    }

    private void Sweep()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_sync)
        {
            foreach (var record in _records.Values.Where(r => r.ExpiresAt <= now).ToList())
            {
                Remove(record);
            }

            foreach (var key in _cooldowns.Where(c => c.Value <= now).Select(c => c.Key).ToList())
            {
                _cooldowns.Remove(key);
            }

            // Wrong codes in a row are forgotten a day after the last one, as the number's state in Redis is.
            foreach (var key in _lockouts.Where(l => l.Value.LockedUntil <= now && l.Value.LastFailure <= now - TimeSpan.FromDays(1)).Select(l => l.Key).ToList())
            {
                _lockouts.Remove(key);
            }

            _counters.Sweep(now);
            SweepHandoffs(now);
        }
    }
}
