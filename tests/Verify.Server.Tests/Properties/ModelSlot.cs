namespace Verify.Server.Tests.Properties;

/// <summary>
/// What the model keeps per number and purpose (README, "How a verification goes"; docs/limits.md): what every
/// caller shares, and each caller's own part (<see cref="ModelCallerSlot"/>).
/// </summary>
internal sealed class ModelSlot
{
    private readonly Dictionary<int, ModelCallerSlot> _callers = [];

    /// <summary>Every verification started here by any caller, oldest first: a call by id may name any of them.</summary>
    public List<int> Serials { get; } = [];

    /// <summary>Counted sends of every caller, for the purpose's phone windows: N callers cannot send N times the SMS.</summary>
    public List<DateTimeOffset> Sends { get; } = [];

    /// <summary>The caller's own live verification, cooldown, wrong codes in a row and lockout (issue 12, point 6).</summary>
    public ModelCallerSlot Caller(int owner) => _callers.TryGetValue(owner, out var caller) ? caller : _callers[owner] = new ModelCallerSlot();
}
