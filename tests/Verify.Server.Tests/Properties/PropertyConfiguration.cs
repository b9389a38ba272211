using System.Globalization;
using Verify.Engine.Codes;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// The small world the sequences play in, and the configuration Verify gets for it: every limit the model
/// keeps is set here explicitly, and every limit it does not keep is turned off, so that the model can be exact.
/// </summary>
internal static class PropertyConfiguration
{
    /// <summary>Two numbers of one prefix (the prefix limit is off), so that starts collide on the number windows.</summary>
    public static readonly string[] Numbers = ["+8613812345678", "+8613812345679"];

    /// <summary>
    /// Owner tags. A sequence has either the one caller 0 (no owner: the engine's callers without a tag, whose state
    /// per number and purpose is the purpose's own entry) or the two callers 1 and 2 (two services, each its own
    /// part of that state). It never mixes 0 with 1 or 2: a caller with a tag takes over, at its first start, the
    /// cooldown and lockout the untagged entry holds (start.lua: the upgrade from a release with one state for every
    /// caller), which no deployment of this release meets, authentication off being the caller "anonymous", tagged too.
    /// </summary>
    public static readonly string[] Owners = [string.Empty, "0a0b0c0d0e0f", "a1b2c3d4e5f6"];

    /// <summary>Client IPs; null is a call without one, counted in its caller's one bucket.</summary>
    public static readonly string?[] Ips = ["203.0.113.7", "198.51.100.23", null];

    /// <summary>Transactions: 0 none, 1 and 2 two payments that differ only in amount.</summary>
    public static readonly TransactionDetails?[] Transactions =
        [null, TransactionDetails.Create("25.00", "EUR", "ACME Ltd"), TransactionDetails.Create("26.00", "EUR", "ACME Ltd")];

    // Each policy's longest window is a day, longer than any sequence (30 steps of at most 10 minutes): the model never has to
    // forget a number whose state Redis would let expire.
    public static readonly ModelPolicy Login = new(
        "login", BindsTransaction: false, CodeLength: 6, Ttl: TimeSpan.FromMinutes(5), MaxAttempts: 3, ResendCooldown: TimeSpan.FromSeconds(30),
        PhoneWindows: [new(TimeSpan.FromMinutes(10), 3, "10m"), new(TimeSpan.FromDays(1), 6, "1d")],
        IpWindows: [new(TimeSpan.FromMinutes(10), 4, "10m")],
        LockoutMaxFailures: 4, LockoutDuration: TimeSpan.FromMinutes(10));

    // No cooldown at all: a resend may come at once, which the login policy never allows. Where a login lockout takes
    // wrong codes across verifications and outlasts the code, a payment one comes before the attempts run out and
    // ends while its verification lives: the next wrong code counts one again, the right one still approves.
    public static readonly ModelPolicy Payment = new(
        "payment", BindsTransaction: true, CodeLength: 6, Ttl: TimeSpan.FromMinutes(3), MaxAttempts: 3, ResendCooldown: TimeSpan.Zero,
        PhoneWindows: [new(TimeSpan.FromDays(1), 4, "1d")],
        IpWindows: [new(TimeSpan.FromHours(1), 3, "1h")],
        LockoutMaxFailures: 2, LockoutDuration: TimeSpan.FromMinutes(2));

    public static readonly IReadOnlyDictionary<string, ModelPolicy> Policies = new Dictionary<string, ModelPolicy>
    {
        [Login.Purpose] = Login,
        [Payment.Purpose] = Payment,
    };

    /// <summary>Sends to one number across purposes (Verify:Limits:Number).</summary>
    public static readonly IReadOnlyList<ModelWindow> NumberWindows = [new(TimeSpan.FromHours(1), 5, "1h")];

    /// <summary>Wrong codes per client IP across verifications (Verify:Limits:WrongCodesPerIp).</summary>
    public static readonly IReadOnlyList<ModelWindow> WrongCodeWindows = [new(TimeSpan.FromMinutes(10), 5, "10m")];

    public static Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            // Limits the model does not keep: off.
            ["Verify:Limits:Prefix"] = string.Empty,
            ["Verify:Limits:CountriesPerIp:Max"] = "0",
            ["Verify:Limits:PumpingGuard:Enabled"] = "false",
        };
        Windows(settings, "Verify:Limits:Number", NumberWindows);
        Windows(settings, "Verify:Limits:WrongCodesPerIp", WrongCodeWindows);
        foreach (var policy in Policies.Values)
        {
            var key = $"Verify:Policies:{policy.Purpose}";
            settings[$"{key}:RequiresTransaction"] = policy.BindsTransaction ? "true" : "false";
            settings[$"{key}:CodeLength"] = Invariant(policy.CodeLength);
            settings[$"{key}:Alphabet"] = "Digits";
            settings[$"{key}:Ttl"] = policy.Ttl.ToString("c", CultureInfo.InvariantCulture);
            settings[$"{key}:MaxAttempts"] = Invariant(policy.MaxAttempts);
            settings[$"{key}:ResendCooldown"] = policy.ResendCooldown.ToString("c", CultureInfo.InvariantCulture);
            settings[$"{key}:KeepPreviousCodeOnResend"] = "false";
            settings[$"{key}:Lockout:MaxFailures"] = Invariant(policy.LockoutMaxFailures);
            settings[$"{key}:Lockout:Duration"] = policy.LockoutDuration.ToString("c", CultureInfo.InvariantCulture);
            Windows(settings, $"{key}:PhoneLimits", policy.PhoneWindows);
            Windows(settings, $"{key}:IpLimits", policy.IpWindows);
        }

        return settings;
    }

    private static void Windows(Dictionary<string, string?> settings, string key, IReadOnlyList<ModelWindow> windows)
    {
        for (var i = 0; i < windows.Count; i++)
        {
            settings[$"{key}:{i}:Window"] = windows[i].Length.ToString("c", CultureInfo.InvariantCulture);
            settings[$"{key}:{i}:Max"] = Invariant(windows[i].Max);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
