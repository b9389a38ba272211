using System.Collections.Frozen;
using Verify.Engine.Codes;
using Verify.Delivery;
using Verify.Delivery.Phones;

namespace Verify.Engine.Configuration;

/// <summary>An immutable, validated policy as the engine uses it; captured per call so a reload never changes a call halfway.</summary>
internal sealed record VerificationPolicy(
    string Name,
    int CodeLength,
    CodeAlphabet Alphabet,
    TimeSpan Ttl,
    int MaxAttempts,
    TimeSpan ResendCooldown,
    bool KeepPreviousCodeOnResend,
    bool RequiresTransaction,
    bool RequiresClientIp,
    IReadOnlyList<WindowLimit> PhoneLimits,
    IReadOnlyList<WindowLimit> IpLimits,
    int LockoutFailures,
    TimeSpan LockoutDuration,
    FrozenSet<string> AllowedCountries,
    FrozenSet<string> DeniedCountries,
    FrozenSet<PhoneLineType> SmsLineTypes,
    FrozenSet<PhoneLineType> VoiceLineTypes)
{
    /// <summary>Whether a number of <paramref name="region"/> may receive this purpose's codes.</summary>
    public bool AllowsCountry(string region) =>
        (AllowedCountries.Count == 0 || AllowedCountries.Contains(region)) && !DeniedCountries.Contains(region);

    /// <summary>Whether a number of <paramref name="lineType"/> may get this purpose's codes over <paramref name="channel"/>.</summary>
    public bool AllowsLineType(PhoneLineType lineType, DeliveryChannel channel) =>
        (channel == DeliveryChannel.Voice ? VoiceLineTypes : SmsLineTypes).Contains(lineType);

    public static VerificationPolicy From(string name, PolicyOptions options) => new(
        name,
        options.CodeLength,
        options.Alphabet,
        options.Ttl,
        options.MaxAttempts,
        options.ResendCooldown,
        options.KeepPreviousCodeOnResend,
        options.RequiresTransaction,
        options.RequireClientIp,
        [.. options.PhoneLimits],
        [.. options.IpLimits],
        options.Lockout.MaxFailures,
        options.Lockout.Duration,
        options.Countries.Allow.ToFrozenSet(StringComparer.Ordinal),
        options.Countries.Deny.ToFrozenSet(StringComparer.Ordinal),
        LineTypePermissions.Parse(options.LineTypes.Sms),
        LineTypePermissions.Parse(options.LineTypes.Voice));
}
