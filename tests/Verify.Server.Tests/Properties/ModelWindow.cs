namespace Verify.Server.Tests.Properties;

/// <summary>
/// "At most <paramref name="Max"/> sends in any sliding <paramref name="Length"/>" (docs/limits.md, Keys), as the model
/// counts it: a send at t still counts at now while t &gt; now - Length. <paramref name="Name"/> is the subject's
/// suffix a refusal names ("phone:10m"), written out here rather than derived the way Verify derives it.
/// </summary>
internal sealed record ModelWindow(TimeSpan Length, int Max, string Name)
{
    /// <summary>The first full window of <paramref name="windows"/> (in their configured order) and when one more fits: when its oldest send leaves it.</summary>
    public static (string Name, TimeSpan RetryAfter)? FirstFull(IReadOnlyList<ModelWindow> windows, IEnumerable<DateTimeOffset> times, DateTimeOffset now)
    {
        foreach (var window in windows)
        {
            var inside = times.Where(t => t > now - window.Length).ToList();
            if (inside.Count >= window.Max)
            {
                return (window.Name, inside.Min() + window.Length - now);
            }
        }

        return null;
    }
}
