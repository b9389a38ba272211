using Verify.Engine.Codes;

namespace Verify.Engine.Configuration;

/// <summary>
/// One purpose's policy, bound from <c>Verify:Policies:&lt;purpose&gt;</c>. Defaults follow NIST SP
/// 800-63B-4 §3.1.3.2 (at least 6 digits, at most 10 minutes) and what Twilio Verify and Aliyun do.
/// </summary>
internal sealed class PolicyOptions
{
    /// <summary>Whether the purpose is served. Defaults to true; false makes it an unknown purpose.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Characters per code, 4 to 10. Defaults to 6 (≈20 bits with digits, ASVS 6.5.4).</summary>
    public int CodeLength { get; set; } = 6;

    /// <summary>Digits or Alphanumeric. Defaults to Digits.</summary>
    public CodeAlphabet Alphabet { get; set; } = CodeAlphabet.Digits;

    /// <summary>How long a code works, 1 s to 10 min (ASVS 6.5.5). Defaults to 5 minutes.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes before the verification locks, 1 to 10. Defaults to 5 (PSD2 RTS art. 4).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before a resend, 0 to 1 hour. Defaults to 60 seconds.</summary>
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether the previous code keeps working after a resend (until its own expiry), so a user who
    /// asked twice can type either SMS. Defaults to false: a resend replaces the code.
    /// </summary>
    public bool KeepPreviousCodeOnResend { get; set; }

    /// <summary>Whether a start must carry a transaction (amount, currency, payee) bound into the code.</summary>
    public bool RequiresTransaction { get; set; }

    /// <summary>
    /// Whether a start must carry the end user's <c>client_ip</c>. Defaults to false: a start without one is
    /// counted by <see cref="IpLimits"/> in one bucket shared by all of its caller's starts without one.
    /// </summary>
    public bool RequireClientIp { get; set; }

    /// <summary>Sends per phone number and purpose. Defaults to 5 an hour and 10 a day.</summary>
    public List<WindowLimit> PhoneLimits { get; set; } =
    [
        new() { Window = TimeSpan.FromHours(1), Max = 5 },
        new() { Window = TimeSpan.FromDays(1), Max = 10 },
    ];

    /// <summary>Sends per end-user IP address (the request's client_ip) and purpose. Defaults to 20 an hour.</summary>
    public List<WindowLimit> IpLimits { get; set; } = [new() { Window = TimeSpan.FromHours(1), Max = 20 }];

    /// <summary>Wrong codes in a row, across verifications, before the number is locked out for this purpose. Defaults to 10 and 15 minutes.</summary>
    public LockoutOptions Lockout { get; set; } = new();

    /// <summary>Destination countries allowed. Defaults to all.</summary>
    public CountryPermissions Countries { get; set; } = new();

    /// <summary>Line types allowed per channel. Defaults to mobiles for SMS, mobiles and landlines for voice.</summary>
    public LineTypePermissions LineTypes { get; set; } = new();
}
