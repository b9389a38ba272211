using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>
/// Which /msg/send/json codes (Chuanglan 253 "接口返回码") refuse the message itself: its number, its
/// content or length, its signature, a template it does not match. Everything else, a wrong account or
/// password (101, 102), submitting too fast (103), system busy (104), no quota (109, 111), IP, permission
/// or expiry (117–119), the anti-theft limits (120), malformed requests (129, 130) and any code not known
/// here, counts against the breaker.
/// </summary>
internal static class ChuanglanErrorCodes
{
    private static readonly FrozenSet<string> MessageRefusals = new[]
    {
        "105", // sensitive content
        "106", // message length
        "107", // a wrong phone number
        "108", // phone number count
        "115", // refused by automatic review
        "116", // signature missing or not allowed
        "124", // matches no whitelisted template
        "125", // matches a refused template
        "128", // content encoding failed
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the code refuses this message (false: Chuanglan or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(string code) => MessageRefusals.Contains(code);
}
