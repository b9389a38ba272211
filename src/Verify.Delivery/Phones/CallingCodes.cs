using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Verify.Delivery.Phones;

/// <summary>Country calling codes as libphonenumber's metadata assigns them.</summary>
internal static class CallingCodes
{
    /// <summary>libphonenumber's region for a calling code it does not know.</summary>
    private const string UnknownRegion = "ZZ";

    /// <summary>libphonenumber's region for the non-geographic codes (+800 freephone, +881 satellite, +882/+883 networks...).</summary>
    private const string NonGeographicRegion = "001";

    /// <summary>
    /// The country calling code that <paramref name="digits"/> (what follows the '+') starts with.
    /// Codes are prefix-free, so at most one of the first 1, 2 or 3 digits is one. Only codes of
    /// countries count: the non-geographic ones have no country for a policy to allow or deny.
    /// A dictionary lookup per length, cheap enough for masking on every call.
    /// </summary>
    public static bool TryMatch(ReadOnlySpan<char> digits, [NotNullWhen(true)] out string? code)
    {
        var value = 0;
        for (var length = 1; length <= Math.Min(3, digits.Length) && char.IsAsciiDigit(digits[length - 1]); length++)
        {
            value = (value * 10) + (digits[length - 1] - '0');
            var region = PhoneNumberUtil.GetInstance().GetRegionCodeForCountryCode(value);
            if (region != UnknownRegion)
            {
                code = region == NonGeographicRegion ? null : digits[..length].ToString();
                return code is not null;
            }
        }

        code = null;
        return false;
    }
}
