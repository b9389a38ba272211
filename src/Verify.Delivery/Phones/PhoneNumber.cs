using System.Globalization;

namespace Verify.Delivery.Phones;

/// <summary>
/// A phone number that passed <see cref="PhoneNumberParser"/>. <see cref="ToString"/> returns the
/// masked form, so a number that ends up in a log line or an exception message by accident is not
/// exposed; use <see cref="E164"/> explicitly where the full number is needed (sending, storage).
/// </summary>
internal sealed record PhoneNumber
{
    private const int HiddenTailDigits = 4;

    /// <summary>Only <see cref="PhoneNumberParser"/> should call this; libphonenumber has checked the parts.</summary>
    internal PhoneNumber(int countryCallingCode, string nationalNumber, string regionCode, PhoneLineType lineType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(countryCallingCode, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(countryCallingCode, 999);
        ArgumentException.ThrowIfNullOrEmpty(nationalNumber);
        ArgumentException.ThrowIfNullOrEmpty(regionCode);
        if (nationalNumber.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException("The national number must be ASCII digits only.", nameof(nationalNumber));
        }

        var code = countryCallingCode.ToString(CultureInfo.InvariantCulture);
        CountryCallingCode = countryCallingCode;
        NationalNumber = nationalNumber;
        RegionCode = regionCode;
        LineType = lineType;
        E164 = string.Concat("+", code, nationalNumber);
        Masked = string.Concat("+", code, " ", PhoneMasking.MaskNationalNumber(nationalNumber));
        Prefix = E164[..^Math.Min(HiddenTailDigits, nationalNumber.Length)];
    }

    /// <summary>The full number, e.g. "+8613812345678". Personal data: never log it.</summary>
    public string E164 { get; }

    /// <summary>The country calling code, e.g. 86.</summary>
    public int CountryCallingCode { get; }

    /// <summary>The national significant number (the digits after the country code), e.g. "13812345678".</summary>
    public string NationalNumber { get; }

    /// <summary>
    /// ISO 3166-1 alpha-2 country, e.g. "CN": for +1 and +7 the region libphonenumber gives the national
    /// number (US, CA, JM...; RU, KZ), for every other code its main country (+44 is GB for Jersey,
    /// Guernsey and the Isle of Man too), so country lists and limits cover a code's territories.
    /// </summary>
    public string RegionCode { get; }

    /// <summary>The kind of line, from the range the number falls in (not a carrier lookup).</summary>
    public PhoneLineType LineType { get; }

    /// <summary>Safe for display and logs, e.g. "+86 138****5678"; see <see cref="PhoneMasking.MaskNationalNumber"/>.</summary>
    public string Masked { get; }

    /// <summary>
    /// The number without its last 4 digits, e.g. "+861381234", for spotting SMS pumping that walks
    /// through a block of numbers. It shows more than <see cref="Masked"/>: don't log it either.
    /// </summary>
    public string Prefix { get; }

    public override string ToString() => Masked;
}
