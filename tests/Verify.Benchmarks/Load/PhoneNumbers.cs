using System.Globalization;

namespace Verify.Benchmarks.Load;

/// <summary>
/// Numbers valid for the default policy on every build (China Mobile's 138 block: 11 national digits, a mobile
/// range in any numbering table). Starts take distinct numbers whose last four digits change slowest, so
/// consecutive starts fall in different prefixes (the number less its last 4 digits) and no prefix fills up:
/// index i is +86 138, then i mod 10,000, then i / 10,000.
/// </summary>
internal static class PhoneNumbers
{
    public const long Capacity = 100_000_000;

    /// <summary>Outside the start range (139 block), so it never has a verification.</summary>
    public const string NeverStarted = "+8613912345678";

    public static string Distinct(long index)
    {
        if (index is < 0 or >= Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"start numbers run out after {Capacity:N0}; lower --first");
        }

        return string.Create(CultureInfo.InvariantCulture, $"+86138{index % 10_000:D4}{index / 10_000:D4}");
    }

    /// <summary>
    /// The end user's address a caller passes with the start of number <paramref name="index"/>: one of 131,072 in
    /// 198.18.0.0/15 (RFC 2544). Without one, every start of the caller shares one per-IP bucket.
    /// </summary>
    public static string ClientIp(long index) =>
        string.Create(CultureInfo.InvariantCulture, $"198.{18 + ((index >> 16) & 1)}.{(index >> 8) & 255}.{index & 255}");
}
