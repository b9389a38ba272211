namespace Verify.Engine.Throttling;

/// <summary>
/// A test number, <c>Verify:SafeList:&lt;n&gt;</c>: for the purposes and callers it names, its starts skip every
/// throttle and never reach a provider, and its code is always <see cref="Code"/>. For app-store reviewers and
/// monitoring probes; configure none in production unless they are numbers you own.
/// </summary>
internal sealed class SafeNumberOptions
{
    /// <summary>The number in E.164 form.</summary>
    public string Number { get; set; } = string.Empty;

    /// <summary>The fixed code, of the purpose's length and alphabet.</summary>
    public string Code { get; set; } = string.Empty;

    /// <summary>The purposes it is a test number for (at least one); never one that binds a transaction.</summary>
    public List<string> Purposes { get; set; } = [];

    /// <summary>The callers it is a test number for (at least one); to any other caller it is an ordinary number.</summary>
    public List<string> Callers { get; set; } = [];
}
