using Verify.Server.Configuration;

namespace Verify.Server.Storage;

/// <summary>The sentence a refusal carries, from its stable subject ("phone:cooldown", "ip:1h", …) and the policy.</summary>
internal static class ThrottleMessages
{
    public const string Attempts = "phone:attempts";
    public const string Cooldown = "phone:cooldown";

    public static string Describe(string subject, VerificationPolicy policy)
    {
        if (subject == Attempts)
        {
            return "Too many wrong codes for this number and purpose.";
        }

        if (subject == Cooldown)
        {
            return $"A code was sent to this number less than {policy.ResendCooldown.TotalSeconds:0} s ago.";
        }

        var separator = subject.IndexOf(':', StringComparison.Ordinal);
        var scope = subject[..separator];
        var name = subject[(separator + 1)..];
        var (limits, what) = scope == "ip" ? (policy.IpLimits, "from one IP address") : (policy.PhoneLimits, "to one number");
        var limit = limits.FirstOrDefault(l => l.Name == name);
        return limit is null ? "Too many codes." : $"At most {limit.Max} codes per {limit.Name} {what}.";
    }
}
