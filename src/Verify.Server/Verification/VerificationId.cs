using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Verify.Server.Verification;

/// <summary>"VE" and 32 lowercase hex digits (128 random bits), the shape Twilio users know.</summary>
internal static partial class VerificationId
{
    public static string New() => "VE" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^VE[0-9a-f]{32}$")]
    private static partial Regex Pattern();
}
