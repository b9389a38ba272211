namespace Verify.Server.Health;

/// <summary>How the store's reachability is watched, <c>Verify:Health</c>.</summary>
internal sealed class StoreHealthOptions
{
    public const string SectionName = "Verify:Health";

    /// <summary>
    /// Time between the probes that health Watch follows, 1 s (the least the health-check publisher accepts)
    /// to 1 min. Defaults to 2 seconds. Health Check and Watch answer what the last probe saw; /readyz asks the store at each request.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a probe (and /readyz) waits for the store, 50 ms to 10 s. Defaults to 1 second.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Null when the values are in range, else what to fix, naming the key.</summary>
    public string? Problem() =>
        ProbeInterval < TimeSpan.FromSeconds(1) || ProbeInterval > TimeSpan.FromMinutes(1)
            ? $"{SectionName}:{nameof(ProbeInterval)}: must be between 00:00:01 and 00:01:00"
            : ProbeTimeout < TimeSpan.FromMilliseconds(50) || ProbeTimeout > TimeSpan.FromSeconds(10)
                ? $"{SectionName}:{nameof(ProbeTimeout)}: must be between 00:00:00.05 and 00:00:10"
                : null;
}
