using Verify.Engine.Verification;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// Verify's rules for starts, checks, gets and cancels, written for the test from README ("How a verification
/// goes"), docs/limits.md and docs/security.md, over plain lists and dictionaries: no store, no scripts, no
/// code of Verify's. Each method answers what a caller should see and updates the model's state.
/// </summary>
internal sealed class StoreModel(IReadOnlyDictionary<string, ModelPolicy> policies, DateTimeOffset start)
{
    private readonly Dictionary<ModelSlotKey, ModelSlot> _slots = [];
    private readonly Dictionary<int, ModelVerification> _verifications = [];
    private readonly Dictionary<int, List<DateTimeOffset>> _numberSends = [];
    private readonly Dictionary<(int Ip, string Purpose), List<DateTimeOffset>> _ipStarts = [];
    private readonly Dictionary<int, List<DateTimeOffset>> _wrongCodesByIp = [];

    public DateTimeOffset Now { get; private set; } = start;

    public void Advance(TimeSpan by) => Now += by;

    /// <summary>The serial of the verification a call by id names, or null for an id never issued.</summary>
    public int? SerialAt(ModelSlotKey key, int age)
    {
        var serials = Slot(key).Serials;
        return age < serials.Count ? serials[serials.Count - 1 - age] : null;
    }

    public Observation Start(StoreOperation.Start start)
    {
        var policy = policies[start.Slot.Purpose];
        var slot = Slot(start.Slot);
        var caller = Caller(start.Slot, start.Owner);
        var existing = Current(caller);

        // docs/limits.md, "What refuses a start, in order": the number's lockout, a used-up verification, the
        // cooldown (these three the caller's own), the purpose's windows, the number's windows across purposes (these
        // two counting every caller's sends); then the client IP's.
        if (caller.LockedUntil > Now)
        {
            return Observation.Throttled("phone:lockout", caller.LockedUntil - Now);
        }

        if (existing is { Status: VerificationState.MaxAttemptsReached })
        {
            // "a new start while locked is refused until the locked one expires" (security.md, Brute force).
            return Observation.Throttled("phone:attempts", existing.ExpiresAt - Now);
        }

        if (caller.CooldownUntil > Now)
        {
            return Observation.Throttled("phone:cooldown", caller.CooldownUntil - Now);
        }

        var numberSends = List(_numberSends, start.Slot.Number);
        var ipStarts = List(_ipStarts, (start.Ip, start.Slot.Purpose));
        if (ModelWindow.FirstFull(policy.PhoneWindows, slot.Sends, Now) is { } phone)
        {
            return Observation.Throttled("phone:" + phone.Name, phone.RetryAfter);
        }

        if (ModelWindow.FirstFull(PropertyConfiguration.NumberWindows, numberSends, Now) is { } number)
        {
            return Observation.Throttled("number:" + number.Name, number.RetryAfter);
        }

        if (ModelWindow.FirstFull(policy.IpWindows, ipStarts, Now) is { } ip)
        {
            // "A refused start leaves nothing behind": what the number's step counted goes back.
            return Observation.Throttled("ip:" + ip.Name, ip.RetryAfter);
        }

        slot.Sends.Add(Now);
        numberSends.Add(Now);
        ipStarts.Add(Now);
        caller.CooldownUntil = Now + policy.ResendCooldown;

        // README step 2: the caller's pending verification is resent (same id, new code, send count + 1, the failed
        // attempts kept); a burned one is replaced, keeping the failed attempts (NIST §3.1.3.2 row). Another caller's
        // verification is no concern of this start: it stays pending and working (security.md, "One caller disturbing
        // another's users").
        var verification = existing is { Status: VerificationState.Pending }
            ? existing
            : Create(start.Slot, slot, caller, start.Owner, policy, existing?.FailedAttempts ?? 0);
        verification.SendCount++;
        verification.ExpiresAt = Now + policy.Ttl;
        verification.NextSendAt = Now + policy.ResendCooldown;
        verification.Transaction = start.Transaction;
        verification.Code = null;
        return Record(ObservedKind.Started, verification) with { Sms = 1 };
    }

    /// <summary>The code the sender was handed for the verification's current send.</summary>
    public void Sent(int serial, string code) => _verifications[serial].Code = code;

    /// <summary>A check by id (<paramref name="serial"/>, null for an id never issued) or, when <paramref name="byNumber"/>, by number and purpose.</summary>
    public Observation Check(StoreOperation.Check check, int? serial, bool byNumber, string typed)
    {
        // limits.md, WrongCodesPerIp: counted before the code is compared, so a client IP at its limit is refused
        // before anything else; given back when the code was right or there was nothing to compare (not found, locked
        // out, malformed, or a verification that had ended before the check). So only a wrong code, or another
        // transaction, adds to the list below.
        var wrongCodes = List(_wrongCodesByIp, check.Ip);
        if (ModelWindow.FirstFull(PropertyConfiguration.WrongCodeWindows, wrongCodes, Now) is { } full)
        {
            return Observation.Throttled("ip:wrong_codes", full.RetryAfter);
        }

        // By number and purpose: the checking caller's own live verification, never another caller's.
        var verification = byNumber ? Current(Caller(check.Slot, check.Owner)) : ById(serial);
        if (verification is null || verification.Owner != check.Owner)
        {
            // Never started, expired, approved, canceled, replaced, another caller's: one NotFound for all.
            return new Observation(ObservedKind.NotFound);
        }

        var policy = policies[verification.Slot.Purpose];
        var caller = CallerOf(verification);
        if (caller.LockedUntil > Now)
        {
            // "Checks are refused only by a lockout; a refused check counts nothing." Only this caller's lockout.
            return Observation.Throttled("phone:lockout", caller.LockedUntil - Now);
        }

        if (verification.Status != VerificationState.Pending)
        {
            // Out of attempts or burned before this check: "locked even for the right code"; nothing is compared, so
            // nothing is counted, on the verification nor against the client IP, whatever was typed (right, wrong or
            // malformed).
            return Record(ObservedKind.Checked, verification) with { Valid = false };
        }

        if (typed.Length != policy.CodeLength || !typed.All(char.IsAsciiDigit))
        {
            return new Observation(ObservedKind.Malformed) { CodeLength = policy.CodeLength };
        }

        if (check.Transaction != verification.Transaction)
        {
            // PSD2 RTS art. 5: another transaction (or none, or one for a login code) is not valid and burns it.
            // It is a wrong code in a row for the lockout; it uses no attempt of the verification.
            verification.Status = VerificationState.Failed;
            CountWrongCode(caller, policy, verification);
            wrongCodes.Add(Now);
            return Record(ObservedKind.Checked, verification) with { Valid = false };
        }

        if (typed == verification.Code)
        {
            // Single use: gone at once. An approval lifts the cooldown and resets the wrong codes in a row.
            verification.Status = VerificationState.Approved;
            verification.LockedOutUntil = null;
            caller.Live = null;
            caller.CooldownUntil = DateTimeOffset.MinValue;
            caller.FailuresInARow = 0;
            caller.LockedUntil = DateTimeOffset.MinValue;
            return Record(ObservedKind.Checked, verification) with { Valid = true, FailuresInARow = 0 };
        }

        verification.FailedAttempts++;
        if (verification.FailedAttempts >= verification.MaxAttempts)
        {
            verification.Status = VerificationState.MaxAttemptsReached;
        }

        // The wrong code that uses up the last attempt was compared: it counts, like any other.
        CountWrongCode(caller, policy, verification);
        wrongCodes.Add(Now);
        return Record(ObservedKind.Checked, verification) with { Valid = false };
    }

    public Observation Get(int? serial, int owner) =>
        ById(serial) is { } verification && verification.Owner == owner ? Record(ObservedKind.Got, verification) : new Observation(ObservedKind.Nothing);

    public Observation Cancel(int? serial, int owner)
    {
        if (ById(serial) is not { } verification || verification.Owner != owner)
        {
            return new Observation(ObservedKind.NotFound);
        }

        if (verification.Status != VerificationState.Pending)
        {
            // Canceling a used-up or burned verification would let a new one start early.
            return Record(ObservedKind.NotPending, verification);
        }

        // A cancel does not lift the cooldown ("so that cancel-and-start is no way around it") nor the wrong codes in a row.
        verification.Status = VerificationState.Canceled;
        CallerOf(verification).Live = null;
        return Record(ObservedKind.Canceled, verification);
    }

    private ModelVerification Create(ModelSlotKey key, ModelSlot slot, ModelCallerSlot caller, int owner, ModelPolicy policy, int failedAttempts)
    {
        var verification = new ModelVerification
        {
            Serial = _verifications.Count + 1,
            Slot = key,
            Owner = owner,
            MaxAttempts = policy.MaxAttempts,
            FailedAttempts = failedAttempts,
        };
        _verifications.Add(verification.Serial, verification);
        slot.Serials.Add(verification.Serial);
        caller.Live = verification;
        return verification;
    }

    // Lockout:MaxFailures wrong codes in a row over all the caller's verifications of the number and purpose lock the
    // caller's starts and checks for it. The count is already 0 here if a lockout has ended (CallerOf, Caller).
    private void CountWrongCode(ModelCallerSlot caller, ModelPolicy policy, ModelVerification verification)
    {
        caller.FailuresInARow++;
        if (caller.FailuresInARow >= policy.LockoutMaxFailures)
        {
            caller.LockedUntil = Now + policy.LockoutDuration;
            verification.LockedOutUntil = caller.LockedUntil;
        }
    }

    /// <summary>The caller's verification while it has not expired; an expired one is gone for every call.</summary>
    private ModelVerification? Current(ModelCallerSlot caller)
    {
        if (caller.Live is { } live && live.ExpiresAt <= Now)
        {
            caller.Live = null;
        }

        return caller.Live;
    }

    /// <summary>Only the verification its caller's slot still leads to can be reached by id: an approved, canceled or replaced one is gone.</summary>
    private ModelVerification? ById(int? serial) =>
        serial is { } s && _verifications.TryGetValue(s, out var verification) && Current(CallerOf(verification)) == verification ? verification : null;

    private Observation Record(ObservedKind kind, ModelVerification verification) => new(kind)
    {
        Verification = verification.Serial,
        Status = verification.Status,
        AttemptsRemaining = verification.AttemptsRemaining,
        SendCount = verification.SendCount,
        ExpiresAt = verification.ExpiresAt,
        NextSendAt = verification.NextSendAt,
        FailuresInARow = CallerOf(verification).FailuresInARow,
        LockedOutUntil = verification.LockedOutUntil > Now ? verification.LockedOutUntil : null,
    };

    private ModelSlot Slot(ModelSlotKey key) => _slots.TryGetValue(key, out var slot) ? slot : _slots[key] = new ModelSlot();

    /// <summary>The caller's part of the number and purpose, as of now: a lockout that has ended has taken its count with it.</summary>
    private ModelCallerSlot Caller(ModelSlotKey key, int owner)
    {
        var caller = Slot(key).Caller(owner);
        caller.EndLockoutIfOver(Now);
        return caller;
    }

    private ModelCallerSlot CallerOf(ModelVerification verification) => Caller(verification.Slot, verification.Owner);

    private static List<DateTimeOffset> List<TKey>(Dictionary<TKey, List<DateTimeOffset>> lists, TKey key)
        where TKey : notnull =>
        lists.TryGetValue(key, out var list) ? list : lists[key] = [];
}
