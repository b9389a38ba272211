namespace Verify.Server.Tests.Properties;

/// <summary>What the model keeps per number and purpose (README, "How a verification goes"; docs/limits.md).</summary>
internal sealed class ModelSlot
{
    /// <summary>The verification the number and purpose lead to: pending, out of attempts or burned; it may have expired since.</summary>
    public ModelVerification? Live { get; set; }

    /// <summary>Every verification started here, oldest first: a call by id may name any of them.</summary>
    public List<int> Serials { get; } = [];

    public DateTimeOffset CooldownUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Counted sends, for the purpose's phone windows.</summary>
    public List<DateTimeOffset> Sends { get; } = [];

    /// <summary>Wrong codes in a row over all verifications of the number and purpose; only an approval resets it.</summary>
    public int FailuresInARow { get; set; }

    public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;
}
