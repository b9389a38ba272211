using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Verify.Server.Phones;

/// <summary>
/// Strict E.164 parsing: '+', then the country calling code and the national number, ASCII digits
/// only. No spaces, dashes, brackets or trunk-prefix guessing: clients normalise what users type,
/// so the number the service stores, rate-limits and texts is exactly the one it was given.
/// Error texts are short sentences for a google.rpc.BadRequest field violation and never echo the
/// number (at most a country code of the input).
/// </summary>
internal static class PhoneNumberParser
{
    /// <summary>
    /// The shortest number that can receive an SMS has 8 digits: the 5-digit mobile numbers of the
    /// smallest territories behind 3-digit codes (+290 Saint Helena, +500 Falklands, +247 Ascension).
    /// Shorter E.164 numbers are landlines (4-digit numbers in Niue, Tokelau and Tristan da Cunha,
    /// short PBX numbers in Austria and Luxembourg); a shorter value typed in is almost always a
    /// truncated number.
    /// </summary>
    public const int MinDigits = 8;

    /// <summary>E.164 caps a number, country code included, at 15 digits.</summary>
    public const int MaxDigits = 15;

    public const string RequiredError = "is required";
    public const string FormatError = "must be in E.164 format: '+' followed by the country code and number, digits only";
    public const string NonAsciiDigitError = "must use only the plain digits 0-9 (no full-width or other-script digits)";
    public const string LeadingZeroError = "must not have a 0 after the '+': no country calling code starts with 0";
    public const string NanpError = "a +1 number must start with a valid 3-digit area code and 3-digit exchange";

    public static readonly string LengthError =
        $"must have {MinDigits} to {MaxDigits} digits, country code included";

    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out PhoneNumber? number,
        [NotNullWhen(false)] out string? error) =>
        TryParse(input, CallingCodeTable.Default, out number, out error);

    public static bool TryParse(
        string? input,
        CallingCodeTable table,
        [NotNullWhen(true)] out PhoneNumber? number,
        [NotNullWhen(false)] out string? error)
    {
        number = null;
        error = Check(input, table, out var code);
        if (error is not null)
        {
            return false;
        }

        var national = input![(1 + code!.Digits)..];
        number = new PhoneNumber(code.Code, national, table.RegionOf(code, national));
        return true;
    }

    private static string? Check(string? input, CallingCodeTable table, out CallingCode? code)
    {
        code = null;
        if (string.IsNullOrEmpty(input))
        {
            return RequiredError;
        }

        if (input[0] != '+')
        {
            return FormatError;
        }

        for (var i = 1; i < input.Length; i++)
        {
            if (!char.IsAsciiDigit(input[i]))
            {
                return CharUnicodeInfo.GetUnicodeCategory(input, i) == UnicodeCategory.DecimalDigitNumber
                    ? NonAsciiDigitError
                    : FormatError;
            }
        }

        var digits = input.AsSpan(1);
        if (digits.IsEmpty)
        {
            return FormatError;
        }

        if (digits[0] == '0')
        {
            return LeadingZeroError;
        }

        if (digits.Length is < MinDigits or > MaxDigits)
        {
            return LengthError;
        }

        if (!table.TryMatch(digits, out code))
        {
            return $"country calling code +{digits[..3]} is not assigned to a country";
        }

        var national = digits[code.Digits..];
        if (national.Length < code.MinLength || national.Length > code.MaxLength)
        {
            var range = code.MinLength == code.MaxLength
                ? code.MinLength.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{code.MinLength} to {code.MaxLength}");
            return string.Create(CultureInfo.InvariantCulture, $"a +{code.Code} number has {range} digits after the country code");
        }

        if (code.Code == 1 && !NanpNumbering.IsValidNationalNumber(national))
        {
            return NanpError;
        }

        return null;
    }
}
