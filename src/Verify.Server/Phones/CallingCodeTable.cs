using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Verify.Server.Phones;

/// <summary>
/// The calling codes and NANP area codes shipped as data next to this file. <see cref="Default"/>
/// parses the embedded CSV files once, on first use.
/// </summary>
internal sealed class CallingCodeTable
{
    private static readonly Lazy<CallingCodeTable> s_default =
        new(CallingCodeTableLoader.LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    public CallingCodeTable(FrozenDictionary<int, CallingCode> codes, FrozenDictionary<int, string> nanpRegions)
    {
        Codes = codes;
        NanpRegions = nanpRegions;
    }

    public static CallingCodeTable Default => s_default.Value;

    public FrozenDictionary<int, CallingCode> Codes { get; }

    /// <summary>Region of each +1 area code that is not in the US, keyed by area code.</summary>
    public FrozenDictionary<int, string> NanpRegions { get; }

    /// <summary>
    /// Finds the country calling code that <paramref name="digits"/> (the digits after '+') starts
    /// with, trying the longest prefix first.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<char> digits, [NotNullWhen(true)] out CallingCode? code)
    {
        if (!digits.IsEmpty && digits[0] is >= '1' and <= '9')
        {
            var value = 0;
            Span<int> prefixes = stackalloc int[3];
            var length = Math.Min(3, digits.Length);
            for (var i = 0; i < length && char.IsAsciiDigit(digits[i]); i++)
            {
                value = (value * 10) + (digits[i] - '0');
                prefixes[i] = value;
            }

            for (var i = length - 1; i >= 0; i--)
            {
                if (prefixes[i] != 0 && Codes.TryGetValue(prefixes[i], out code))
                {
                    return true;
                }
            }
        }

        code = null;
        return false;
    }

    /// <summary>
    /// The region of a number. Two codes are shared by whole countries and need the national number:
    /// +1 is refined by area code (Canada, the Caribbean, US territories) and +7 by its first digit
    /// (Kazakhstan holds 6xx and 7xx, Russia the rest).
    /// </summary>
    public string RegionOf(CallingCode code, ReadOnlySpan<char> nationalNumber) => code.Code switch
    {
        1 when nationalNumber.Length >= 3
            && NanpRegions.TryGetValue(NanpNumbering.AreaCodeOf(nationalNumber), out var region) => region,
        7 when !nationalNumber.IsEmpty && nationalNumber[0] is '6' or '7' => "KZ",
        _ => code.Region,
    };
}
