using System.Globalization;
using System.Text;
using Verify.Server.Phones;
using Xunit;

namespace Verify.Server.Tests.Phones;

/// <summary>
/// Checks over numbers generated from the shipped table: every length every country allows, with
/// random digits from a fixed seed so a failure can be replayed.
/// </summary>
public sealed class PhoneNumberPropertyTests
{
    private const int Seed = 20_240_611;
    private const int SamplesPerLength = 4;

    private static readonly Lazy<List<(CallingCode Code, string National)>> s_valid = new(GenerateValidNumbers);

    [Fact]
    public void TryParse_EveryGeneratedValidNumber_RoundTripsToTheSameParts()
    {
        foreach (var (code, national) in s_valid.Value)
        {
            var e164 = string.Create(CultureInfo.InvariantCulture, $"+{code.Code}{national}");

            Assert.True(PhoneNumberParser.TryParse(e164, out var number, out var error), $"{code.Name} ({national.Length} digits): {error}");
            Assert.Equal(e164, number.E164);
            Assert.Equal(code.Code, number.CountryCallingCode);
            Assert.Equal(national, number.NationalNumber);
        }
    }

    [Fact]
    public void TryParse_EveryGeneratedValidNumber_GetsTheRegionOfItsCodeOrArea()
    {
        var table = CallingCodeTable.Default;
        foreach (var (code, national) in s_valid.Value)
        {
            Assert.True(PhoneNumberParser.TryParse($"+{code.Code}{national}", out var number, out _));

            var expected = code.Code switch
            {
                1 => table.NanpRegions.GetValueOrDefault(int.Parse(national[..3], CultureInfo.InvariantCulture), "US"),
                7 => national[0] is '6' or '7' ? "KZ" : "RU",
                _ => code.Region,
            };
            Assert.Equal(expected, number.RegionCode);
        }
    }

    [Fact]
    public void Masked_EveryGeneratedValidNumber_RevealsAtMostFirstThreeAndLastFourDigits()
    {
        foreach (var (code, national) in s_valid.Value)
        {
            Assert.True(PhoneNumberParser.TryParse($"+{code.Code}{national}", out var number, out _));

            var countryPart = $"+{code.Code} ";
            Assert.StartsWith(countryPart, number.Masked, StringComparison.Ordinal);
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
    public void PrefixAndToString_EveryGeneratedValidNumber_FollowE164AndMasked()
    {
        foreach (var (code, national) in s_valid.Value)
        {
            Assert.True(PhoneNumberParser.TryParse($"+{code.Code}{national}", out var number, out _));

            Assert.Equal(number.E164[..^4], number.Prefix);
            Assert.Equal(number.Masked, number.ToString());
            Assert.Equal(number.Masked, PhoneMasking.Mask(number.E164));
        }
    }

    [Fact]
    public void TryParse_GeneratedNumberOneDigitOutsideItsRange_IsRejected()
    {
        var random = new Random(Seed);
        foreach (var code in CallingCodeTable.Default.Codes.Values)
        {
            var tooShort = code.MinLength - 1;
            var tooLong = code.MaxLength + 1;
            foreach (var length in new[] { tooShort, tooLong })
            {
                var digits = code.Digits + length;
                if (length < 1 || digits < PhoneNumberParser.MinDigits || digits > PhoneNumberParser.MaxDigits)
                {
                    continue;
                }

                var input = $"+{code.Code}{RandomNational(random, code.Code, length)}";
                Assert.False(PhoneNumberParser.TryParse(input, out _, out var error), $"{code.Name} accepted {length} digits");
                Assert.StartsWith($"a +{code.Code} number has ", error, StringComparison.Ordinal);
            }
        }
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

    private static List<(CallingCode, string)> GenerateValidNumbers()
    {
        var random = new Random(Seed);
        var numbers = new List<(CallingCode, string)>();
        foreach (var code in CallingCodeTable.Default.Codes.Values.OrderBy(c => c.Code))
        {
            var shortest = Math.Max(code.MinLength, PhoneNumberParser.MinDigits - code.Digits);
            for (var length = shortest; length <= code.MaxLength; length++)
            {
                for (var sample = 0; sample < SamplesPerLength; sample++)
                {
                    numbers.Add((code, RandomNational(random, code.Code, length)));
                }
            }
        }

        // Make sure every NANP member and both +7 countries come up, not only what chance picks.
        foreach (var npa in CallingCodeTable.Default.NanpRegions.Keys)
        {
            numbers.Add((CallingCodeTable.Default.Codes[1], npa.ToString(CultureInfo.InvariantCulture) + RandomNational(random, 1, 10)[3..]));
        }

        numbers.Add((CallingCodeTable.Default.Codes[7], "6" + RandomDigits(random, 9)));
        numbers.Add((CallingCodeTable.Default.Codes[7], "7" + RandomDigits(random, 9)));
        return numbers;
    }

    private static string RandomNational(Random random, int code, int length)
    {
        if (code != 1 || length != NanpNumbering.NationalLength)
        {
            return RandomDigits(random, length);
        }

        // NANP: NPA [2-9][0-8][0-9] and NXX [2-9][0-9][0-9], neither N11.
        while (true)
        {
            var candidate = string.Concat(
                random.Next(2, 10).ToString(CultureInfo.InvariantCulture),
                random.Next(0, 9).ToString(CultureInfo.InvariantCulture),
                RandomDigits(random, 1),
                random.Next(2, 10).ToString(CultureInfo.InvariantCulture),
                RandomDigits(random, 6));
            if (!(candidate[1] == '1' && candidate[2] == '1') && !(candidate[4] == '1' && candidate[5] == '1'))
            {
                return candidate;
            }
        }
    }

    private static string RandomDigits(Random random, int length) =>
        string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + r.Next(10));
            }
        });
}
