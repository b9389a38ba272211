namespace Verify.Delivery.Providers;

/// <summary>
/// A provider's circuit breaker (Polly.Core): when at least <see cref="MinimumThroughput"/> sends within
/// <see cref="SamplingDuration"/> failed at <see cref="FailureRatio"/> or more, the provider is skipped for
/// <see cref="BreakDuration"/>; then one trial send decides whether it is back.
/// </summary>
internal sealed class BreakerSettings
{
    /// <summary>0.01 to 1.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>2 to 10,000.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>500 ms to 1 day.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>500 ms to 1 day.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
