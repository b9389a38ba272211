namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// The wait before reconnect attempt n (0-based): min·2ⁿ capped at max, of which a random half is taken
/// off ("equal jitter"), so replicas that lost the SMSC together do not all come back at the same instant.
/// </summary>
internal static class SmppBackoff
{
    /// <param name="random">Uniform in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double random)
    {
        var exponential = min.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, max.Ticks);
        return TimeSpan.FromTicks((long)((capped / 2) + (capped / 2 * random)));
    }
}
