using Verify.Engine.Configuration;
using Verify.Engine.Limits;

namespace Verify.Engine.Storage;

/// <summary>The sentence a refusal carries, from its stable subject ("phone:cooldown", "prefix:1h", …) and what the start asked.</summary>
internal static class ThrottleMessages
{
    public const string Attempts = "phone:attempts";
    public const string Cooldown = "phone:cooldown";
    public const string Lockout = "phone:lockout";
    public const string IpCountries = "ip:countries";
    public const string WrongCodesPerIp = "ip:wrong_codes";

    public static string Describe(string subject, StartCommand command)
    {
        var policy = command.Policy;
        var separator = subject.IndexOf(':', StringComparison.Ordinal);
        var scopeName = subject[..separator];
        var name = subject[(separator + 1)..];
        switch (subject)
        {
            case Attempts:
                return "Too many wrong codes for this number and purpose.";
            case Cooldown:
                return $"A code was sent to this number less than {policy.ResendCooldown.TotalSeconds:0} s ago.";
            case Lockout:
                return LockedOut(policy.LockoutFailures);
            case IpCountries:
                return $"At most {command.CountriesPerIp?.Max} destination countries per {command.CountriesPerIp?.Name} from one IP address.";
        }

        LimitScope.TryParse(scopeName, out var scope);
        if (name == LimitScope.Pumping)
        {
            // Only prefixes and countries are guarded; anything else reads as a prefix's, as it always has.
            return $"Codes to this {scope?.PausedWhat ?? LimitScope.Prefix.PausedWhat} are paused: many were sent and few were used.";
        }

        var (limits, what) = scope switch
        {
            null => ([], "here"),
            { IsAcrossPurposes: false } => (scope.Windows(policy), scope.What),
            _ => command.Counters.FirstOrDefault(c => c.Scope == scope) is { } counter ? (counter.Windows, scope.What) : ([], "here"),
        };
        var limit = limits.FirstOrDefault(l => l.Name == name);
        if (limit is not null && scope == LimitScope.Ip && command.ClientIp is { } bucket && ClientBucket.IsWithoutIp(bucket))
        {
            return $"At most {limit.Max} codes per {limit.Name} {WithoutIp}";
        }

        return limit is null ? "Too many codes." : $"At most {limit.Max} codes per {limit.Name} {what}.";
    }

    public static string WrongCodes(string bucket, WindowLimit limit) =>
        $"At most {limit.Max} wrong codes per {limit.Name} {(ClientBucket.IsWithoutIp(bucket) ? WithoutIp : "from one IP address.")}";

    private const string WithoutIp = "for the calls of this caller that carry no client_ip: send the end user's IP address in client_ip.";

    public static string LockedOut(int failures) =>
        $"{failures} wrong codes in a row for this number and purpose: it is locked out for a while.";
}
