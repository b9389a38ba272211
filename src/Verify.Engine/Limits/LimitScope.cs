using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Verify.Delivery.Phones;
using Verify.Engine.Configuration;
using Verify.Engine.Throttling;

namespace Verify.Engine.Limits;

/// <summary>
/// A kind of limit: what it counts sends by, and everything that follows from that, so that adding a
/// kind is adding an instance here. A new counter across purposes also needs its windows in
/// <see cref="LimitsOptions"/> (and <see cref="LimitsOptionsValidator"/>); the scripts count any scope alike.
/// <para>
/// <see cref="Name"/> is a wire name: refusal subjects (<c>prefix:1h</c>, <c>phone:cooldown</c>), Redis
/// keys (<c>{prefix:+861381234}</c>, written by earlier releases too), the admin API and the
/// <c>verify.pumping.blocks</c> metric all carry it, so it never changes.
/// </para>
/// </summary>
internal sealed class LimitScope
{
    /// <summary>The window name of a pumping guard's refusal, e.g. <c>prefix:pumping</c>.</summary>
    public const string Pumping = "pumping";

    /// <summary>Sends to one number for one purpose, windows from the purpose's policy.</summary>
    public static readonly LimitScope Phone = new("phone", "to one number")
    {
        PolicyWindows = policy => policy.PhoneLimits,
    };

    /// <summary>Sends from one client IP for one purpose, windows from the purpose's policy.</summary>
    public static readonly LimitScope Ip = new("ip", "from one IP address")
    {
        PolicyWindows = policy => policy.IpLimits,

        // The security team reads counters to trace abuse by address; an address is no one's phone number.
        MasksKey = false,
    };

    /// <summary>Sends to one number whatever the purpose.</summary>
    public static readonly LimitScope Number = new("number", "to one number, across purposes")
    {
        KeyOf = (phone, _) => phone.E164,
        WindowsOf = (options, _) => options.Number,
        AboutNumber = true,
    };

    /// <summary>Sends to one destination country; per-country windows replace the default, and the pumping guard may watch it.</summary>
    public static readonly LimitScope Country = new("country", "to one country")
    {
        KeyOf = (phone, _) => phone.RegionCode,
        WindowsOf = (options, key) => options.Countries.GetValueOrDefault(key) ?? options.Country,
        PumpingOf = (options, rule) => options.PumpingGuard.Countries ? rule with { MinSends = options.PumpingGuard.CountryMinSends } : null,
        PausedWhat = "country",
        AboutNumber = true,

        // A country code says nothing of anyone's number; anything else here is shown masked.
        MasksKey = false,
        KeyError = key => PolicyOptionsValidator.IsCountryCode(key) ? null : PolicyOptionsValidator.CountryCodeMessage,
    };

    /// <summary>Sends to one block of 10,000 numbers (<see cref="PhoneNumber.Prefix"/>), always watched by the pumping guard.</summary>
    public static readonly LimitScope Prefix = new("prefix", "to one block of numbers")
    {
        KeyOf = (phone, _) => phone.Prefix,
        WindowsOf = (options, _) => options.Prefix,
        PumpingOf = (_, rule) => rule,
        PausedWhat = "block of numbers",
        AboutNumber = true,
        KeyError = key => key.Length is >= 4 and <= 15 && key[0] == '+' && key.Skip(1).All(char.IsAsciiDigit)
            ? null
            : "must be a number in E.164 form less its last 4 digits, e.g. +861381234",
    };

    /// <summary>Sends started by one calling service; per-caller windows replace the default.</summary>
    public static readonly LimitScope Caller = new("caller", "from one calling service")
    {
        KeyOf = (_, caller) => caller,
        WindowsOf = (options, key) => options.Callers.GetValueOrDefault(key) ?? options.Caller,
    };

    /// <summary>Every send, under the one key <c>all</c>.</summary>
    public static readonly LimitScope Global = new("global", "in total")
    {
        KeyOf = (_, _) => "all",
        WindowsOf = (options, _) => options.Global,
    };

    /// <summary>Every kind. The counters across purposes come in the order a start asks them, which decides which refusal it reports.</summary>
    public static readonly ImmutableArray<LimitScope> All = [Phone, Ip, Number, Country, Prefix, Caller, Global];

    /// <summary>The counters across purposes (configured under <c>Verify:Limits</c>), in the order a start asks them.</summary>
    public static readonly ImmutableArray<LimitScope> AcrossPurposes = [.. All.Where(s => s.IsAcrossPurposes)];

    private LimitScope(string name, string what)
    {
        Name = name;
        What = what;
    }

    /// <summary>The wire name: <c>number</c>, <c>prefix</c>, …; never changes (see the type's summary).</summary>
    public string Name { get; }

    /// <summary>How a refusal describes what is counted: "At most 10 codes per 1h <i>to one number, across purposes</i>."</summary>
    public string What { get; }

    /// <summary>Whether its windows are in <see cref="LimitsOptions"/> and count across purposes, rather than in each purpose's policy.</summary>
    public bool IsAcrossPurposes => KeyOf is not null;

    /// <summary>Whether the pumping guard can watch it (and block it): sends and approvals are both counted.</summary>
    public bool IsPumpingGuarded => PumpingOf is not null;

    /// <summary>Whether its key follows from the destination number, so an admin read of a number shows it.</summary>
    public bool AboutNumber { get; private init; }

    /// <summary>Whether its key is masked wherever an operator sees it; only countries and IP addresses are shown as they are.</summary>
    public bool MasksKey { get; private init; } = true;

    /// <summary>Whether the admin API names its counters by key (<c>Subject.prefix</c>, <c>Subject.country</c>, <c>UnblockRequest</c>).</summary>
    public bool TakesAdminKey => KeyError is not null;

    /// <summary>What a pumping refusal says is paused: "Codes to this <i>country</i> are paused".</summary>
    public string? PausedWhat { get; private init; }

    private Func<VerificationPolicy, IReadOnlyList<WindowLimit>>? PolicyWindows { get; init; }

    private Func<PhoneNumber, string, string>? KeyOf { get; init; }

    private Func<LimitsOptions, string, IReadOnlyList<WindowLimit>>? WindowsOf { get; init; }

    private Func<LimitsOptions, PumpingRule, PumpingRule?>? PumpingOf { get; init; }

    private Func<string, string?>? KeyError { get; init; }

    /// <summary>The scope a wire name stands for; false for a name no release has used (ordinal: names are lower case on the wire).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out LimitScope? scope)
    {
        foreach (var known in All)
        {
            if (string.Equals(known.Name, name, StringComparison.Ordinal))
            {
                scope = known;
                return true;
            }
        }

        scope = null;
        return false;
    }

    /// <summary>A refusal subject or counter name of this scope: <c>prefix:1h</c>, <c>phone:login</c>.</summary>
    public string Subject(string window) => $"{Name}:{window}";

    /// <summary>The key as an operator sees it (<see cref="MasksKey"/>).</summary>
    public string Shown(string key) => MasksKey ? PhoneMasking.Mask(key) : key;

    /// <summary>The key a start to <paramref name="phone"/> by <paramref name="caller"/> counts under; only for <see cref="IsAcrossPurposes"/>.</summary>
    public string KeyFor(PhoneNumber phone, string caller) => Require(KeyOf)(phone, caller);

    /// <summary>The windows configured for <paramref name="key"/>; only for <see cref="IsAcrossPurposes"/>.</summary>
    public IReadOnlyList<WindowLimit> Windows(LimitsOptions options, string key) => Require(WindowsOf)(options, key);

    /// <summary>The windows a purpose's policy sets; only for the per-purpose scopes (<see cref="Phone"/>, <see cref="Ip"/>).</summary>
    public IReadOnlyList<WindowLimit> Windows(VerificationPolicy policy) => Require(PolicyWindows)(policy);

    /// <summary>The pumping guard as it applies here, given the guard in force; null when it does not watch this scope.</summary>
    public PumpingRule? PumpingFor(LimitsOptions options, PumpingRule? guard) => guard is null || PumpingOf is null ? null : PumpingOf(options, guard);

    /// <summary>Why an operator's key is not a key of this scope, or null when it is; only for <see cref="TakesAdminKey"/>.</summary>
    public string? KeyProblem(string key) => Require(KeyError)(key);

    public override string ToString() => Name;

    private T Require<T>(T? part)
        where T : class =>
        part ?? throw new InvalidOperationException($"The {Name} limit has no such part.");
}
