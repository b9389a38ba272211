using System.Collections.Frozen;
using Verify.Engine.Configuration;
using Verify.Delivery.Phones;
using Verify.Engine.Limits;

namespace Verify.Engine.Throttling;

/// <summary>The limits across purposes in force, and the safe list; immutable, swapped whole on reload.</summary>
internal sealed class LimitSettings(LimitsOptions options, SafeList safeNumbers)
{
    private readonly PumpingRule? _pumping = options.PumpingGuard.Enabled
        ? new PumpingRule(options.PumpingGuard.Window, options.PumpingGuard.SettleTime, options.PumpingGuard.MinSends,
            options.PumpingGuard.MinConversion, options.PumpingGuard.BlockFor)
        : null;

    public LimitsOptions Options => options;

    /// <summary>Distinct countries per client IP within a window, or null when off.</summary>
    public WindowLimit? CountriesPerIp => options.CountriesPerIp.Max > 0 ? options.CountriesPerIp : null;

    public SafeList SafeNumbers => safeNumbers;

    /// <summary>The counters a start to <paramref name="phone"/> by <paramref name="caller"/> must pass, those with anything to count.</summary>
    public IReadOnlyList<CounterLimit> CountersFor(PhoneNumber phone, string caller)
    {
        var counters = new List<CounterLimit>(LimitScope.AcrossPurposes.Length);
        foreach (var scope in LimitScope.AcrossPurposes)
        {
            var key = scope.KeyFor(phone, caller);
            var windows = scope.Windows(options, key);
            var pumping = scope.PumpingFor(options, _pumping);
            if (windows.Count > 0 || pumping is not null)
            {
                counters.Add(new CounterLimit(scope, key, windows, pumping));
            }
        }

        return counters;
    }
}
