namespace Verify.Server.Health;

/// <summary>How the store's reachability is watched, <c>Verify:Health</c>.</summary>
internal sealed class StoreHealthOptions
{
    public const string SectionName = "Verify:Health";

    /// <summary>Time between probes, 100 ms to 1 min. Defaults to 2 seconds.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a probe (and /readyz) waits for the store, 50 ms to 10 s. Defaults to 1 second.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
