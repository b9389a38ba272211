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
        var existing = Current(slot);

        // docs/limits.md, "What refuses a start, in order": the number's lockout, a used-up verification, the
        // cooldown, the purpose's windows, the number's windows across purposes; then the client IP's.
        if (slot.LockedUntil > Now)
        {
            return Observation.Throttled("phone:lockout", slot.LockedUntil - Now);
        }

        if (existing is { Status: VerificationState.MaxAttemptsReached })
        {
            // "a new start while locked is refused until the locked one expires" (security.md, Brute force).
            return Observation.Throttled("phone:attempts", existing.ExpiresAt - Now);
        }

        if (slot.CooldownUntil > Now)
        {
            return Observation.Throttled("phone:cooldown", slot.CooldownUntil - Now);
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
        slot.CooldownUntil = Now + policy.ResendCooldown;

        // README step 2: the same caller's pending verification is resent (same id, new code, send count + 1, the
        // failed attempts kept). security.md, Ownership: another caller's is replaced, keeping the failed attempts;
        // so is a burned one (NIST §3.1.3.2 row: "so does a start that replaces a burned or foreign verification").
        var verification = existing is { Status: VerificationState.Pending } && existing.Owner == start.Owner
            ? existing
            : Create(start.Slot, slot, start.Owner, policy, existing?.FailedAttempts ?? 0);
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
        // before anything else; given back when the code was right or there was nothing to compare.
        var wrongCodes = List(_wrongCodesByIp, check.Ip);
        if (ModelWindow.FirstFull(PropertyConfiguration.WrongCodeWindows, wrongCodes, Now) is { } full)
        {
            return Observation.Throttled("ip:wrong_codes", full.RetryAfter);
        }

        var verification = byNumber ? Current(Slot(check.Slot)) : ById(serial);
        if (verification is null || verification.Owner != check.Owner)
        {
            // Never started, expired, approved, canceled, replaced, another caller's: one NotFound for all.
            return new Observation(ObservedKind.NotFound);
        }

        var policy = policies[verification.Slot.Purpose];
        var slot = Slot(verification.Slot);
        if (slot.LockedUntil > Now)
        {
            // "Checks are refused only by a lockout; a refused check counts nothing."
            return Observation.Throttled("phone:lockout", slot.LockedUntil - Now);
        }

        if (verification.Status != VerificationState.Pending)
        {
            // Out of attempts or burned: "locked even for the right code"; nothing more is counted on it. The client
            // IP's guess stays counted, whatever was typed (right, wrong or malformed): Verify gives a guess back
            // only for an answer other than valid=false. The docs read otherwise ("given back when the code was
            // right or there was nothing to compare"); reported, and kept here as Verify does it until decided.
            wrongCodes.Add(Now);
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
            CountWrongCode(slot, policy, verification);
            wrongCodes.Add(Now);
            return Record(ObservedKind.Checked, verification) with { Valid = false };
        }

        if (typed == verification.Code)
        {
            // Single use: gone at once. An approval lifts the cooldown and resets the wrong codes in a row.
            verification.Status = VerificationState.Approved;
            verification.LockedOutUntil = null;
            slot.Live = null;
            slot.CooldownUntil = DateTimeOffset.MinValue;
            slot.FailuresInARow = 0;
            slot.LockedUntil = DateTimeOffset.MinValue;
            return Record(ObservedKind.Checked, verification) with { Valid = true, FailuresInARow = 0 };
        }

        verification.FailedAttempts++;
        if (verification.FailedAttempts >= verification.MaxAttempts)
        {
            verification.Status = VerificationState.MaxAttemptsReached;
        }

        CountWrongCode(slot, policy, verification);
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
        Slot(verification.Slot).Live = null;
        return Record(ObservedKind.Canceled, verification);
    }

    private ModelVerification Create(ModelSlotKey key, ModelSlot slot, int owner, ModelPolicy policy, int failedAttempts)
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
        slot.Live = verification;
        return verification;
    }

    // Lockout:MaxFailures wrong codes in a row over all verifications of the number and purpose lock both starts and checks.
    private void CountWrongCode(ModelSlot slot, ModelPolicy policy, ModelVerification verification)
    {
        slot.FailuresInARow++;
        if (slot.FailuresInARow >= policy.LockoutMaxFailures)
        {
            slot.LockedUntil = Now + policy.LockoutDuration;
            verification.LockedOutUntil = slot.LockedUntil;
        }
    }

    /// <summary>The slot's verification while it has not expired; an expired one is gone for every call.</summary>
    private ModelVerification? Current(ModelSlot slot)
    {
        if (slot.Live is { } live && live.ExpiresAt <= Now)
        {
            slot.Live = null;
        }

        return slot.Live;
    }

    /// <summary>Only the verification its slot still leads to can be reached by id: an approved, canceled or replaced one is gone.</summary>
    private ModelVerification? ById(int? serial) =>
        serial is { } s && _verifications.TryGetValue(s, out var verification) && Current(Slot(verification.Slot)) == verification ? verification : null;

    private Observation Record(ObservedKind kind, ModelVerification verification) => new(kind)
    {
        Verification = verification.Serial,
        Status = verification.Status,
        AttemptsRemaining = verification.AttemptsRemaining,
        SendCount = verification.SendCount,
        ExpiresAt = verification.ExpiresAt,
        NextSendAt = verification.NextSendAt,
        FailuresInARow = Slot(verification.Slot).FailuresInARow,
        LockedOutUntil = verification.LockedOutUntil > Now ? verification.LockedOutUntil : null,
    };

    private ModelSlot Slot(ModelSlotKey key) => _slots.TryGetValue(key, out var slot) ? slot : _slots[key] = new ModelSlot();

    private static List<DateTimeOffset> List<TKey>(Dictionary<TKey, List<DateTimeOffset>> lists, TKey key)
        where TKey : notnull =>
        lists.TryGetValue(key, out var list) ? list : lists[key] = [];
}
