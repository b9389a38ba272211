namespace Verify.Engine.Configuration;

/// <summary>At most <see cref="Max"/> sends within any sliding <see cref="Window"/>.</summary>
internal sealed class WindowLimit
{
    public TimeSpan Window { get; set; }

    public int Max { get; set; }

    /// <summary>A stable name for QuotaFailure subjects and logs: "1h", "10m", "1d", "90s".</summary>
    public string Name => FormatWindow(Window);

    public static string FormatWindow(TimeSpan window) =>
        window.TotalDays >= 1 && window.TotalDays % 1 == 0 ? $"{window.TotalDays:0}d"
        : window.TotalHours >= 1 && window.TotalHours % 1 == 0 ? $"{window.TotalHours:0}h"
        : window.TotalMinutes >= 1 && window.TotalMinutes % 1 == 0 ? $"{window.TotalMinutes:0}m"
        : $"{window.TotalSeconds:0}s";
}
