using System.Collections.Frozen;
using Verify.Server.Configuration;
using Verify.Delivery.Phones;

namespace Verify.Server.Throttling;

/// <summary>The limits across purposes in force, and the safe list; immutable, swapped whole on reload.</summary>
internal sealed class LimitSettings(LimitsOptions options, FrozenDictionary<string, string> safeCodes)
{
    private readonly PumpingRule? _pumping = options.PumpingGuard.Enabled
        ? new PumpingRule(options.PumpingGuard.Window, options.PumpingGuard.SettleTime, options.PumpingGuard.MinSends,
            options.PumpingGuard.MinConversion, options.PumpingGuard.BlockFor)
        : null;

    public LimitsOptions Options => options;

    /// <summary>Distinct countries per client IP within a window, or null when off.</summary>
    public WindowLimit? CountriesPerIp => options.CountriesPerIp.Max > 0 ? options.CountriesPerIp : null;

    public int SafeNumberCount => safeCodes.Count;

    /// <summary>The counters a start to <paramref name="phone"/> by <paramref name="caller"/> must pass, those with anything to count.</summary>
    public IReadOnlyList<CounterLimit> CountersFor(PhoneNumber phone, string caller)
    {
        var counters = new List<CounterLimit>(5);
        Add(counters, "number", phone.E164, options.Number, pumping: null);
        Add(counters, "country", phone.RegionCode, options.Countries.GetValueOrDefault(phone.RegionCode) ?? options.Country,
            options.PumpingGuard.Countries && _pumping is not null ? _pumping with { MinSends = options.PumpingGuard.CountryMinSends } : null);
        Add(counters, "prefix", phone.Prefix, options.Prefix, _pumping);
        Add(counters, "caller", caller, options.Callers.GetValueOrDefault(caller) ?? options.Caller, pumping: null);
        Add(counters, "global", "all", options.Global, pumping: null);
        return counters;
    }

    /// <summary>The fixed code of a safe-listed number.</summary>
    public bool TryGetSafeCode(string e164, out string code) => safeCodes.TryGetValue(e164, out code!);

    private static void Add(List<CounterLimit> counters, string scope, string key, List<WindowLimit> windows, PumpingRule? pumping)
    {
        if (windows.Count > 0 || pumping is not null)
        {
            counters.Add(new CounterLimit(scope, key, windows, pumping));
        }
    }
}
