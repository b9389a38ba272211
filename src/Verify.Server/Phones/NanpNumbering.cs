namespace Verify.Server.Phones;

/// <summary>
/// The fixed shape of North American Numbering Plan (+1) numbers: NPA-NXX-XXXX, where the area
/// code (NPA) and the exchange (NXX) both start with 2-9. N11 codes are service codes (411, 911)
/// and N9X area codes are held back for expanding the plan, so neither can start a real number.
/// </summary>
internal static class NanpNumbering
{
    public const int NationalLength = 10;

    public static bool IsValidAreaCode(ReadOnlySpan<char> npa) =>
        npa.Length == 3
        && npa[0] is >= '2' and <= '9'
        && npa[1] is >= '0' and <= '8'
        && char.IsAsciiDigit(npa[2])
        && !IsServiceCode(npa);

    public static bool IsValidNationalNumber(ReadOnlySpan<char> national) =>
        national.Length == NationalLength
        && !national.ContainsAnyExceptInRange('0', '9')
        && IsValidAreaCode(national[..3])
        && national[3] is >= '2' and <= '9'
        && !IsServiceCode(national[3..6]);

    /// <summary>The area code of a valid 10-digit national number, as an integer.</summary>
    public static int AreaCodeOf(ReadOnlySpan<char> national) =>
        ((national[0] - '0') * 100) + ((national[1] - '0') * 10) + (national[2] - '0');

    private static bool IsServiceCode(ReadOnlySpan<char> code) => code[1] == '1' && code[2] == '1';
}
