using System.Text;
using PhoneNumbers;
using Verify.Delivery.Phones;
using Xunit;
using PhoneNumber = Verify.Delivery.Phones.PhoneNumber;

namespace Verify.Server.Tests.Phones;

/// <summary>
/// Checks over every region's example number of every line type in libphonenumber's metadata (the
/// numbers its own tests prove valid), so a metadata update that breaks the strict rule, the region
/// or the mask shows up here; plus random junk for the mask.
/// </summary>
public sealed class PhoneNumberPropertyTests
{
    private const int Seed = 20_240_611;

    private static readonly Lazy<List<(string Region, PhoneNumberType Type, string E164)>> s_examples = new(ExampleNumbers);

    [Fact]
    public void Examples_CoverEveryRegionAndLineType()
    {
        var examples = s_examples.Value;

        Assert.InRange(examples.Select(e => e.Region).Distinct().Count(), 230, 260);
        Assert.Equal(Enum.GetValues<PhoneLineType>().Length, examples.Select(e => e.Type).Distinct().Count());
    }

    [Fact]
    public void TryParse_EveryExampleNumber_RoundTripsWithItsLineTypeAndARegionOfItsCode()
    {
        var util = PhoneNumberUtil.GetInstance();
        foreach (var (region, type, e164) in s_examples.Value)
        {
            Assert.True(PhoneNumberParser.TryParse(e164, out var number, out var error), $"{region} {type} {e164}: {error}");
            Assert.Equal(e164, number.E164);
            Assert.Equal(util.GetCountryCodeForRegion(region), number.CountryCallingCode);
            Assert.Equal(e164[(1 + number.CountryCallingCode.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)..], number.NationalNumber);
            Assert.Equal(PhoneLineTypes.From(type), number.LineType);
            // Example numbers of a shared code may sit in a range of the code's main region (+358 for AX is FI's).
            Assert.Contains(number.RegionCode, util.GetRegionCodesForCountryCode(number.CountryCallingCode));
        }
    }

    [Fact]
    public void Masked_EveryExampleNumber_RevealsAtMostFirstThreeAndLastFourDigits()
    {
        foreach (var number in ParsedExamples())
        {
            var countryPart = $"+{number.CountryCallingCode} ";
            Assert.StartsWith(countryPart, number.Masked, StringComparison.Ordinal);
            var national = number.NationalNumber;
            var shown = number.Masked[countryPart.Length..];
            Assert.Equal(national.Length, shown.Length);

            var leading = shown.IndexOf('*');
            var trailing = shown.Length - 1 - shown.LastIndexOf('*');
            var hidden = shown.Length - leading - trailing;
            Assert.InRange(leading, 0, PhoneMasking.MaxVisibleLeadingDigits);
            Assert.InRange(trailing, 0, PhoneMasking.MaxVisibleTrailingDigits);
            Assert.True(hidden >= PhoneMasking.MinHiddenDigits, $"{number.Masked} hides fewer than 3 digits");
            Assert.Equal(national[..leading], shown[..leading]);
            Assert.Equal(national[^trailing..], shown[^trailing..]);
            Assert.Equal(new string('*', hidden), shown.Substring(leading, hidden));

            // Nothing is hidden needlessly: 10+ digit numbers show the full 3 + 4.
            if (national.Length >= 10)
            {
                Assert.Equal((3, 4), (leading, trailing));
            }
        }
    }

    [Fact]
    public void PrefixToStringAndMask_EveryExampleNumber_FollowE164AndMasked()
    {
        foreach (var number in ParsedExamples())
        {
            Assert.Equal(number.E164[..^4], number.Prefix);
            Assert.Equal(number.Masked, number.ToString());
            Assert.Equal(number.Masked, PhoneMasking.Mask(number.E164));
            Assert.Equal(number.Masked, PhoneMasking.MaskStored(number.E164));
        }
    }

    [Fact]
    public void TryParse_ExampleNumberWithATrunkZeroAfterTheCode_IsRejectedNotRepaired()
    {
        // libphonenumber alone drops the 0 of "+44 07..." and accepts the number; E.164 has no trunk prefix.
        var trunkZero = 0;
        foreach (var number in ParsedExamples().Where(n => n.E164.Length < PhoneNumberParser.MaxDigits + 1))
        {
            var withZero = $"+{number.CountryCallingCode}0{number.NationalNumber}";
            var metadata = PhoneNumberUtil.GetInstance().GetMetadataForRegion(number.RegionCode);
            if (metadata.NationalPrefix == "0" && metadata.NationalPrefixForParsing is "" or "0")
            {
                Assert.False(PhoneNumberParser.TryParse(withZero, out _, out var error), withZero);
                Assert.Equal(PhoneNumberParser.TrunkPrefixError, error);
                trunkZero++;
            }
        }

        Assert.True(trunkZero > 300, $"only {trunkZero} numbers of countries with a trunk 0");
    }

    [Fact]
    public void Mask_RandomInvalidValues_ShowAtMostFivePrintableCharacters()
    {
        const string alphabet = "0123456789+- ()abcXYZ*\n\r\t\u0000\u202E\uFF10\u0661\U0001F4DE";
        var pieces = Enumerable.Range(0, alphabet.Length)
            .Where(i => !char.IsLowSurrogate(alphabet[i]))
            .Select(i => char.IsHighSurrogate(alphabet[i]) ? alphabet.Substring(i, 2) : alphabet[i].ToString())
            .ToArray();
        var random = new Random(Seed);

        for (var sample = 0; sample < 2_000; sample++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 40);
            for (var i = 0; i < length; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            var input = builder.ToString();
            if (PhoneNumberParser.TryParse(input, out _, out _))
            {
                continue;
            }

            var masked = PhoneMasking.Mask(input);
            Assert.All(masked, c => Assert.InRange(c, ' ', '~'));
            Assert.InRange(masked.Length, 1, 3 + 16 + 2);
            var firstStar = masked.IndexOf('*');
            var lastStar = masked.LastIndexOf('*');
            if (firstStar >= 0)
            {
                Assert.True(firstStar <= 3 && masked.Length - 1 - lastStar <= 2, $"'{masked}' shows too much");
            }
        }
    }

    private static IEnumerable<PhoneNumber> ParsedExamples()
    {
        foreach (var (_, _, e164) in s_examples.Value)
        {
            Assert.True(PhoneNumberParser.TryParse(e164, out var number, out var error), $"{e164}: {error}");
            yield return number;
        }
    }

    /// <summary>Every region's example number of each line type, within Verify's 8 to 15 digits.</summary>
    private static List<(string, PhoneNumberType, string)> ExampleNumbers()
    {
        var util = PhoneNumberUtil.GetInstance();
        var examples = new List<(string, PhoneNumberType, string)>();
        foreach (var region in util.GetSupportedRegions().Order(StringComparer.Ordinal))
        {
            foreach (var type in Enum.GetValues<PhoneNumberType>().Where(t => PhoneLineTypes.From(t) is not null))
            {
                if (util.GetExampleNumberForType(region, type) is { } example
                    && util.Format(example, PhoneNumberFormat.E164) is var e164
                    && e164.Length - 1 is >= PhoneNumberParser.MinDigits and <= PhoneNumberParser.MaxDigits
                    && util.GetNumberType(example) == type)
                {
                    examples.Add((region, type, e164));
                }
            }
        }

        return examples;
    }
}
