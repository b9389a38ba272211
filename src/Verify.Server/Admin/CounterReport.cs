using Google.Protobuf.WellKnownTypes;
using Verify.Admin.V1;
using Verify.Engine.Configuration;
using Verify.Engine.Limits;
using Verify.Engine.Storage;

namespace Verify.Server.Admin;

/// <summary>Sets what a store holds (send times, approvals, blocks) against the configured windows, as the admin service shows it.</summary>
internal static class CounterReport
{
    public static CounterState Phone(string purpose, string maskedPhone, PhoneCounterState state, IReadOnlyList<WindowLimit> windows, DateTimeOffset now)
    {
        var report = new CounterState { Counter = LimitScope.Phone.Subject(purpose), Key = maskedPhone, WrongCodesInARow = state.FailuresInARow };
        report.Windows.Add(Windows(state.Sends, windows, now));
        if (state.CooldownUntil is { } cooldown && cooldown > now)
        {
            report.CooldownUntil = Timestamp.FromDateTimeOffset(cooldown);
        }

        if (state.LockedOutUntil is { } locked && locked > now)
        {
            report.LockedOutUntil = Timestamp.FromDateTimeOffset(locked);
        }

        return report;
    }

    public static CounterState Counter(string counter, string key, CounterSnapshot snapshot, IReadOnlyList<WindowLimit> windows, TimeSpan? pumpingWindow, DateTimeOffset now)
    {
        var report = new CounterState { Counter = counter, Key = key };
        report.Windows.Add(Windows(snapshot.Sends, windows, now));
        if (pumpingWindow is { } window)
        {
            report.Approvals = snapshot.Approvals.Count(at => at > now - window);
        }

        if (snapshot.BlockedUntil is { } blocked && blocked > now)
        {
            report.BlockedUntil = Timestamp.FromDateTimeOffset(blocked);
        }

        return report;
    }

    public static IEnumerable<WindowUse> Windows(IReadOnlyList<DateTimeOffset> sends, IReadOnlyList<WindowLimit> windows, DateTimeOffset now)
    {
        foreach (var limit in windows)
        {
            var inWindow = sends.Where(at => at > now - limit.Window).ToList();
            var use = new WindowUse { Window = limit.Name, Used = inWindow.Count, Max = limit.Max };
            if (inWindow.Count >= limit.Max)
            {
                use.RetryAfter = Duration.FromTimeSpan(inWindow.Min() + limit.Window - now);
            }

            yield return use;
        }
    }
}
