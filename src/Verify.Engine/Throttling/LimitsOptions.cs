using Verify.Engine.Configuration;

namespace Verify.Engine.Throttling;

/// <summary>
/// Limits across purposes, <c>Verify:Limits</c> (the per-purpose ones are in each policy). Every list
/// is of sliding windows <c>{ "Window": "01:00:00", "Max": 30 }</c>; an empty list is no limit.
/// </summary>
internal sealed class LimitsOptions
{
    public const string SectionName = "Verify:Limits";

    /// <summary>Sends to one number, whatever the purpose. Defaults to 10 an hour and 20 a day.</summary>
    public List<WindowLimit> Number { get; set; } =
    [
        new() { Window = TimeSpan.FromHours(1), Max = 10 },
        new() { Window = TimeSpan.FromDays(1), Max = 20 },
    ];

    /// <summary>
    /// Sends to one prefix (the number less its last 4 digits: a block of 10,000 numbers). Defaults to
    /// 100 an hour: far above what real users of one block ask for, far below a pumping run.
    /// </summary>
    public List<WindowLimit> Prefix { get; set; } = [new() { Window = TimeSpan.FromHours(1), Max = 100 }];

    /// <summary>Sends to each destination country. Defaults to none; set caps from your own traffic (e.g. 3× the daily mean).</summary>
    public List<WindowLimit> Country { get; set; } = [];

    /// <summary>Per-country windows that replace <see cref="Country"/> for that ISO 3166 alpha-2 code, e.g. <c>Countries:NG</c>.</summary>
    public Dictionary<string, List<WindowLimit>> Countries { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sends started by each calling service. Defaults to none.</summary>
    public List<WindowLimit> Caller { get; set; } = [];

    /// <summary>Per-caller windows that replace <see cref="Caller"/>, keyed by caller name.</summary>
    public Dictionary<string, List<WindowLimit>> Callers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sends in total, a ceiling on spend. Defaults to none.</summary>
    public List<WindowLimit> Global { get; set; } = [];

    /// <summary>
    /// Distinct destination countries one client IP may send to within the window. Defaults to 5 a day
    /// (Authgear's signal for pumping from one IP); Max 0 turns it off.
    /// </summary>
    public WindowLimit CountriesPerIp { get; set; } = new() { Window = TimeSpan.FromDays(1), Max = 5 };

    /// <summary>
    /// Wrong codes from one client IP (its bucket: <see cref="Limits.ClientBucket"/>) across every verification and
    /// purpose; a check from an IP at the limit is refused before it is compared, and counts nothing. The
    /// lockout per number stops guessing at one number; this stops one client guessing at many. Defaults
    /// to 50 an hour (a carrier NAT shares an IPv4 address between many users); an empty list turns it off.
    /// </summary>
    public List<WindowLimit> WrongCodesPerIp { get; set; } = [new() { Window = TimeSpan.FromHours(1), Max = 50 }];

    /// <summary>The IPv6 network an address is counted under by every per-IP limit. Defaults to 64 (one subscriber's LAN); 32 to 128.</summary>
    public int Ipv6PrefixLength { get; set; } = 64;

    /// <summary>The IPv4 network an address is counted under. Defaults to 32 (the address itself); 8 to 32.</summary>
    public int Ipv4PrefixLength { get; set; } = 32;

    public PumpingGuardOptions PumpingGuard { get; set; } = new();
}
