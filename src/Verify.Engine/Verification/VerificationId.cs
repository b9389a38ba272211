using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Verify.Engine.Verification;

/// <summary>
/// "VE" and 32 lowercase hex digits, the shape Twilio users know: a 4-digit shard tag, then 112
/// random bits. The tag is derived from the phone number (<see cref="ShardTag"/>), so a verification's
/// record sits in the same Redis Cluster hash slot as the state of its number (all purposes): a check
/// by id finds the record in one round trip, and a start changes both in one script.
/// </summary>
internal static partial class VerificationId
{
    public const int ShardTagLength = 4;

    private const int ShardCount = 16384;

    public static string New(string phoneNumber) =>
        "VE" + ShardTag(phoneNumber) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(14));

    public static bool IsWellFormed(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>The tag of a well-formed id.</summary>
    public static string ShardTagOf(string id) => id.Substring(2, ShardTagLength);

    /// <summary>
    /// Four hex digits, one of 16,384 shards (as many as Redis Cluster has slots), from a hash of the
    /// number. Unkeyed on purpose: every replica must agree without sharing a secret, and 14 bits say
    /// nothing useful about a number the caller already knows.
    /// </summary>
    public static string ShardTag(string phoneNumber)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(phoneNumber), hash);
        var shard = ((hash[0] << 8) | hash[1]) % ShardCount;
        return shard.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^VE[0-9a-f]{32}\\z")]
    private static partial Regex Pattern();
}
