using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PhoneNumbers;

namespace Verify.Delivery.Phones;

/// <summary>
/// Strict E.164 first: '+', then the country calling code and the national number, ASCII digits
/// only. No spaces, dashes, brackets or trunk prefixes: clients normalise what users type, so the
/// number the service stores, rate-limits and texts is exactly the one it was given. libphonenumber
/// then decides validity, region and line type from its metadata; it would accept far more (spaces,
/// "+44 07...", full-width digits), which is why the shape is checked here before it sees the input.
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
    public const string TrunkPrefixError = "must not keep the national trunk prefix after the country code (+44 7..., not +44 07...)";
    public const string NanpError = "a +1 number must start with a valid 3-digit area code and 3-digit exchange";

    public static readonly string LengthError =
        $"must have {MinDigits} to {MaxDigits} digits, country code included";

    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out PhoneNumber? number,
        [NotNullWhen(false)] out string? error)
    {
        number = null;
        error = CheckShape(input);
        if (error is not null)
        {
            return false;
        }

        var text = input!;
        var digits = text.AsSpan(1);
        if (!CallingCodes.TryMatch(digits, out var code))
        {
            error = $"country calling code +{digits[..3]} is not assigned to a country";
            return false;
        }

        var util = PhoneNumberUtil.GetInstance();
        PhoneNumbers.PhoneNumber parsed;
        try
        {
            parsed = util.Parse(text, null);
        }
        catch (NumberParseException)
        {
            error = FormatError;
            return false;
        }

        var national = text[(1 + code.Length)..];
        error = CheckNumber(util, parsed, code, national, out var region, out var lineType);
        if (error is not null)
        {
            return false;
        }

        number = new PhoneNumber(parsed.CountryCode, national, CountryOf(util, parsed, region!), lineType);
        return true;
    }

    /// <summary>The strict E.164 rule, before libphonenumber (which is lenient) sees the input.</summary>
    /// <summary>Whether <paramref name="text"/> has E.164's shape ('+', 8 to 15 ASCII digits, no leading 0), without asking libphonenumber.</summary>
    public static bool HasE164Shape(string text) => CheckShape(text) is null;

    private static string? CheckShape(string? input)
    {
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

        var digits = input.Length - 1;
        if (digits == 0)
        {
            return FormatError;
        }

        if (input[1] == '0')
        {
            return LeadingZeroError;
        }

        return digits is < MinDigits or > MaxDigits ? LengthError : null;
    }

    private static string? CheckNumber(
        PhoneNumberUtil util, PhoneNumbers.PhoneNumber parsed, string code, string national, out string? region, out PhoneLineType lineType)
    {
        region = null;
        lineType = default;

        // libphonenumber drops a trunk prefix it finds after the code ("+44 07911..." becomes +44 7911...):
        // the number it understood is then not the one given, and the one given is not E.164.
        if (util.GetNationalSignificantNumber(parsed) != national)
        {
            return TrunkPrefixError;
        }

        // IsValidNumber is exactly "the number's region has a type for it other than UNKNOWN", which is
        // what GetNumberType works out; asking both would match the type patterns twice (~6 µs each).
        region = util.GetRegionCodeForNumber(parsed);
        var type = string.IsNullOrEmpty(region) ? null : PhoneLineTypes.From(util.GetNumberType(parsed));
        if (type is null)
        {
            // Invalid: say why as precisely as the metadata allows.
            return util.IsPossibleNumberWithReason(parsed) is not PhoneNumberUtil.ValidationResult.IS_POSSIBLE
                ? LengthMessage(util, parsed.CountryCode, code)
                : parsed.CountryCode == 1
                    ? NanpError
                    : $"is not a valid +{code} number: it falls in no range of that country's numbering plan";
        }

        lineType = type.Value;
        return null;
    }

    /// <summary>
    /// The country policies, limits, routes and metrics see. Where libphonenumber splits a calling code among
    /// territories (+44: GB, and GG, JE, IM; +39: IT, VA; +61: AU, CX, CC; +47: NO, SJ; +358: FI, AX...), the
    /// code's main country, as before libphonenumber: a deny-list or a country limit of GB must keep covering
    /// every +44 number, Crown Dependency mobiles (a known SMS-pumping destination) included. +1 and +7 are
    /// numbering plans of separate countries (US, CA, JM...; RU, KZ), so there the number's own region counts.
    /// </summary>
    private static string CountryOf(PhoneNumberUtil util, PhoneNumbers.PhoneNumber parsed, string region) =>
        parsed.CountryCode is 1 or 7 ? region : util.GetRegionCodeForCountryCode(parsed.CountryCode);

    /// <summary>"a +33 number has 9 digits after the country code", from the metadata of the code's main region.</summary>
    private static string LengthMessage(PhoneNumberUtil util, int countryCode, string code)
    {
        var lengths = util.GetMetadataForRegion(util.GetRegionCodeForCountryCode(countryCode)).GeneralDesc.PossibleLengthList
            .Where(l => l > 0).Order().ToList();
        var range = lengths.Count switch
        {
            1 => lengths[0].ToString(CultureInfo.InvariantCulture),
            _ when lengths[^1] - lengths[0] == lengths.Count - 1 => string.Create(CultureInfo.InvariantCulture, $"{lengths[0]} to {lengths[^1]}"),
            _ => string.Join(", ", lengths.SkipLast(1)) + string.Create(CultureInfo.InvariantCulture, $" or {lengths[^1]}"),
        };
        return $"a +{code} number has {range} digits after the country code";
    }
}
