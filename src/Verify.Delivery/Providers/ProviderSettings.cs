namespace Verify.Delivery.Providers;

/// <summary>
/// The keys every provider under <c>Verify:Delivery:Providers:&lt;name&gt;</c> has besides its own:
/// its kind, and how the router guards it.
/// </summary>
internal sealed class ProviderSettings
{
    /// <summary>The kind: console, webhook, twilio, vonage, aliyun, tencent, huawei, chuanglan, ronglian, smpp.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>How long one send may take before the router gives up on it and tries the next provider; 100 ms to 60 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sends in flight at once, 1 to 10,000; a send over the cap goes to the next provider at once.</summary>
    public int MaxConcurrency { get; set; } = 100;

    public BreakerSettings Breaker { get; set; } = new();

    /// <summary>Whether <paramref name="other"/> asks for the same timeout, cap and breaker.</summary>
    public bool SameGuardsAs(ProviderSettings other) =>
        Timeout == other.Timeout
        && MaxConcurrency == other.MaxConcurrency
        && Breaker.FailureRatio.Equals(other.Breaker.FailureRatio)
        && Breaker.MinimumThroughput == other.Breaker.MinimumThroughput
        && Breaker.SamplingDuration == other.Breaker.SamplingDuration
        && Breaker.BreakDuration == other.Breaker.BreakDuration;
}
