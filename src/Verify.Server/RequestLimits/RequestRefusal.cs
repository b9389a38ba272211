namespace Verify.Server.RequestLimits;

/// <summary>
/// Why a call was refused before any work: the limit it hit (<see cref="Caller"/>, <see cref="Method"/> or
/// <see cref="Concurrency"/>, as the error's metadata names it) and when a retry may pass.
/// </summary>
internal sealed record RequestRefusal(string Limit, TimeSpan RetryAfter)
{
    public const string Caller = "caller";

    public const string Method = "method";

    public const string Concurrency = "concurrency";

    /// <summary>
    /// A concurrency limiter says nothing of when a slot frees; a second is as long as a slow start takes,
    /// and short enough for a client that backs off by it.
    /// </summary>
    public static readonly RequestRefusal InFlight = new(Concurrency, TimeSpan.FromSeconds(1));
}
