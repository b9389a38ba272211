using Verify.Engine.Verification;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// The real engine and store, driven as callers would drive them, each answer turned into an <see cref="Observation"/>.
/// Verifications are told apart by serial, in the order the sequence first met their ids.
/// </summary>
internal sealed class RealSide(VerifierFixture fixture)
{
    private readonly Dictionary<string, int> _serials = [];
    private readonly Dictionary<ModelSlotKey, List<string>> _ids = [];

    public void Advance(TimeSpan by) => fixture.Time.Advance(by);

    public async Task<(Observation Observation, string? Code)> StartAsync(StoreOperation.Start start)
    {
        var sent = fixture.Capture.Messages.Count;
        var input = fixture.Start(start.Slot.Purpose, PropertyConfiguration.Numbers[start.Slot.Number], PropertyConfiguration.Ips[start.Ip],
            PropertyConfiguration.Transactions[start.Transaction]) with { Owner = PropertyConfiguration.Owners[start.Owner] };
        var outcome = await fixture.Verifier.StartAsync(input, CancellationToken.None);
        var sms = fixture.Capture.Messages.Count - sent;
        var observation = outcome switch
        {
            StartOutcome.Started { Replayed: false } started => Record(ObservedKind.Started, Seen(start.Slot, started.Record.Id), started.Record),
            StartOutcome.Throttled throttled => Observation.Throttled(throttled.Subject, throttled.RetryAfter),
            _ => new Observation(ObservedKind.Unexpected) { Detail = outcome.ToString() },
        };
        return (observation with { Sms = sms }, sms == 1 ? fixture.Capture.LastCode : null);
    }

    /// <summary>What the check types: a code from the messages the number got for the purpose, or one no message carried.</summary>
    public string Typed(ModelSlotKey slot, CodeChoice choice)
    {
        var messages = fixture.Capture.Messages;
        var codes = messages
            .Where(m => m.To == PropertyConfiguration.Numbers[slot.Number] && m.Purpose == slot.Purpose)
            .Select(CapturingSmsSender.CodeOf)
            .ToList();
        return choice switch
        {
            CodeChoice.LastSms when codes.Count >= 1 => codes[^1],
            CodeChoice.EarlierSms when codes.Count >= 2 => codes[^2],
            CodeChoice.Malformed => "12345",
            _ => Unsent(messages.Select(CapturingSmsSender.CodeOf).ToHashSet()),
        };
    }

    public async Task<Observation> CheckAsync(StoreOperation.Check check, string typed)
    {
        var input = check.Age is { } age
            ? new CheckInput(IdAt(check.Slot, age), null, null, typed, PropertyConfiguration.Transactions[check.Transaction], PropertyConfiguration.Ips[check.Ip])
            : new CheckInput(null, VerifierFixture.Phone(PropertyConfiguration.Numbers[check.Slot.Number]), check.Slot.Purpose, typed,
                PropertyConfiguration.Transactions[check.Transaction], PropertyConfiguration.Ips[check.Ip]);
        var sent = fixture.Capture.Messages.Count;
        var outcome = await fixture.Verifier.CheckAsync(input with { Owner = PropertyConfiguration.Owners[check.Owner] }, CancellationToken.None);
        var observation = outcome switch
        {
            CheckOutcome.NotFound => new Observation(ObservedKind.NotFound),
            CheckOutcome.Malformed malformed => new Observation(ObservedKind.Malformed) { CodeLength = malformed.ExpectedLength },
            CheckOutcome.Throttled throttled => Observation.Throttled(throttled.Subject, throttled.RetryAfter),
            CheckOutcome.Checked checkedOne => Record(ObservedKind.Checked, SerialOf(checkedOne.Record.Id), checkedOne.Record) with { Valid = checkedOne.Valid },
            _ => new Observation(ObservedKind.Unexpected) { Detail = outcome.ToString() },
        };
        return observation with { Sms = fixture.Capture.Messages.Count - sent };
    }

    public async Task<Observation> GetAsync(StoreOperation.Get get)
    {
        var record = await fixture.Verifier.GetAsync(IdAt(get.Slot, get.Age), PropertyConfiguration.Owners[get.Owner], CancellationToken.None);
        return record is null ? new Observation(ObservedKind.Nothing) : Record(ObservedKind.Got, SerialOf(record.Id), record);
    }

    public async Task<Observation> CancelAsync(StoreOperation.Cancel cancel)
    {
        var outcome = await fixture.Verifier.CancelAsync(IdAt(cancel.Slot, cancel.Age), PropertyConfiguration.Owners[cancel.Owner], CancellationToken.None);
        return outcome switch
        {
            CancelOutcome.NotFound => new Observation(ObservedKind.NotFound),
            CancelOutcome.Canceled canceled => Record(ObservedKind.Canceled, SerialOf(canceled.Record.Id), canceled.Record),
            CancelOutcome.NotPending notPending => Record(ObservedKind.NotPending, SerialOf(notPending.Record.Id), notPending.Record),
            _ => new Observation(ObservedKind.Unexpected) { Detail = outcome.ToString() },
        };
    }

    private Observation Record(ObservedKind kind, int serial, VerificationRecord record)
    {
        var now = fixture.Time.GetUtcNow();
        return new Observation(kind)
        {
            Verification = serial,
            Status = record.Status,
            AttemptsRemaining = record.AttemptsRemaining,
            SendCount = record.SendCount,
            ExpiresAt = record.ExpiresAt,
            NextSendAt = record.NextSendAt,
            // A record keeps the count its lockout reached until a check or start writes it again (check.lua): once that
            // lockout has ended the count is 0 for every rule (prelude.lua, lockout_ended), and so it is shown here.
            FailuresInARow = record.LockedOutUntil <= now ? 0 : record.FailuresInARow,
            LockedOutUntil = record.LockedOutUntil > now ? record.LockedOutUntil : null,
        };
    }

    /// <summary>A started verification's serial; a new id joins its slot's list, so a later call by id can name it.</summary>
    private int Seen(ModelSlotKey slot, string id)
    {
        if (!_serials.ContainsKey(id))
        {
            Ids(slot).Add(id);
        }

        return SerialOf(id);
    }

    private int SerialOf(string id) => _serials.TryGetValue(id, out var serial) ? serial : _serials[id] = _serials.Count + 1;

    /// <summary>The id a call by id uses: one the slot had, or (before it had one) a well-formed id never issued.</summary>
    private string IdAt(ModelSlotKey slot, int age)
    {
        var ids = Ids(slot);
        return age < ids.Count ? ids[ids.Count - 1 - age] : VerificationId.New(PropertyConfiguration.Numbers[slot.Number]);
    }

    private List<string> Ids(ModelSlotKey slot) => _ids.TryGetValue(slot, out var ids) ? ids : _ids[slot] = [];

    // Six digits that no message of the sequence carried: certainly wrong for every verification.
    private static string Unsent(HashSet<string> sent)
    {
        for (var n = 0; ; n++)
        {
            var code = n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!sent.Contains(code))
            {
                return code;
            }
        }
    }
}
