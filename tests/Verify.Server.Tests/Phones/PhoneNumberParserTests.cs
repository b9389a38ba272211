using Verify.Delivery.Phones;
using Xunit;

namespace Verify.Server.Tests.Phones;

public sealed class PhoneNumberParserTests
{
    [Theory]
    // Asia
    [InlineData("+8613812345678", 86, "13812345678", "CN", "+86 138****5678")]
    [InlineData("+861012345678", 86, "1012345678", "CN", "+86 101***5678")]
    [InlineData("+819012345678", 81, "9012345678", "JP", "+81 901***5678")]
    [InlineData("+81312345678", 81, "312345678", "JP", "+81 31***5678")]
    [InlineData("+821012345678", 82, "1012345678", "KR", "+82 101***5678")]
    [InlineData("+919876543210", 91, "9876543210", "IN", "+91 987***3210")]
    [InlineData("+6581234567", 65, "81234567", "SG", "+65 8***4567")]
    [InlineData("+85291234567", 852, "91234567", "HK", "+852 9***4567")]
    [InlineData("+886912345678", 886, "912345678", "TW", "+886 91***5678")]
    [InlineData("+6281234567890", 62, "81234567890", "ID", "+62 812****7890")]
    [InlineData("+639171234567", 63, "9171234567", "PH", "+63 917***4567")]
    [InlineData("+84912345678", 84, "912345678", "VN", "+84 91***5678")]
    [InlineData("+66812345678", 66, "812345678", "TH", "+66 81***5678")]
    [InlineData("+923001234567", 92, "3001234567", "PK", "+92 300***4567")]
    [InlineData("+971501234567", 971, "501234567", "AE", "+971 50***4567")]
    [InlineData("+966501234567", 966, "501234567", "SA", "+966 50***4567")]
    [InlineData("+905321234567", 90, "5321234567", "TR", "+90 532***4567")]
    // Europe
    [InlineData("+447400123456", 44, "7400123456", "GB", "+44 740***3456")]
    [InlineData("+442071838750", 44, "2071838750", "GB", "+44 207***8750")]
    [InlineData("+4915123456789", 49, "15123456789", "DE", "+49 151****6789")]
    [InlineData("+493012345678", 49, "3012345678", "DE", "+49 301***5678")]
    [InlineData("+33612345678", 33, "612345678", "FR", "+33 61***5678")]
    [InlineData("+34612345678", 34, "612345678", "ES", "+34 61***5678")]
    [InlineData("+393123456789", 39, "3123456789", "IT", "+39 312***6789")]
    [InlineData("+31612345678", 31, "612345678", "NL", "+31 61***5678")]
    [InlineData("+46701234567", 46, "701234567", "SE", "+46 70***4567")]
    [InlineData("+41791234567", 41, "791234567", "CH", "+41 79***4567")]
    [InlineData("+48512345678", 48, "512345678", "PL", "+48 51***5678")]
    [InlineData("+353851234567", 353, "851234567", "IE", "+353 85***4567")]
    [InlineData("+358401234567", 358, "401234567", "FI", "+358 40***4567")]
    [InlineData("+436641234567", 43, "6641234567", "AT", "+43 664***4567")]
    [InlineData("+79161234567", 7, "9161234567", "RU", "+7 916***4567")]
    [InlineData("+74951234567", 7, "4951234567", "RU", "+7 495***4567")]
    [InlineData("+77011234567", 7, "7011234567", "KZ", "+7 701***4567")]
    [InlineData("+77272123456", 7, "7272123456", "KZ", "+7 727***3456")]
    // Americas
    [InlineData("+12125551234", 1, "2125551234", "US", "+1 212***1234")]
    [InlineData("+14155552671", 1, "4155552671", "US", "+1 415***2671")]
    [InlineData("+18005550123", 1, "8005550123", "US", "+1 800***0123")]
    [InlineData("+14165550123", 1, "4165550123", "CA", "+1 416***0123")]
    [InlineData("+16045550199", 1, "6045550199", "CA", "+1 604***0199")]
    [InlineData("+15145550123", 1, "5145550123", "CA", "+1 514***0123")]
    [InlineData("+18765550123", 1, "8765550123", "JM", "+1 876***0123")]
    [InlineData("+16585550123", 1, "6585550123", "JM", "+1 658***0123")]
    [InlineData("+18095550123", 1, "8095550123", "DO", "+1 809***0123")]
    [InlineData("+18295550123", 1, "8295550123", "DO", "+1 829***0123")]
    [InlineData("+18495550123", 1, "8495550123", "DO", "+1 849***0123")]
    [InlineData("+17875550123", 1, "7875550123", "PR", "+1 787***0123")]
    [InlineData("+12423591234", 1, "2423591234", "BS", "+1 242***1234")]
    [InlineData("+16715550123", 1, "6715550123", "GU", "+1 671***0123")]
    [InlineData("+18682911234", 1, "8682911234", "TT", "+1 868***1234")]
    [InlineData("+5511987654321", 55, "11987654321", "BR", "+55 119****4321")]
    [InlineData("+525512345678", 52, "5512345678", "MX", "+52 551***5678")]
    [InlineData("+5491112345678", 54, "91112345678", "AR", "+54 911****5678")]
    [InlineData("+573001234567", 57, "3001234567", "CO", "+57 300***4567")]
    [InlineData("+56221234567", 56, "221234567", "CL", "+56 22***4567")]
    // Africa and Oceania
    [InlineData("+2348031234567", 234, "8031234567", "NG", "+234 803***4567")]
    [InlineData("+27821234567", 27, "821234567", "ZA", "+27 82***4567")]
    [InlineData("+201001234567", 20, "1001234567", "EG", "+20 100***4567")]
    [InlineData("+254712345678", 254, "712345678", "KE", "+254 71***5678")]
    [InlineData("+61412345678", 61, "412345678", "AU", "+61 41***5678")]
    [InlineData("+64211234567", 64, "211234567", "NZ", "+64 21***4567")]
    // Shortest and longest numbers the rules allow
    [InlineData("+29051234", 290, "51234", "SH", "+290 ***34")]
    [InlineData("+50051234", 500, "51234", "FK", "+500 ***34")]
    [InlineData("+436641234567890", 43, "6641234567890", "AT", "+43 664******7890")]
    public void TryParse_ValidNumber_ReturnsPartsRegionAndMask(
        string input, int countryCode, string national, string region, string masked)
    {
        Assert.True(PhoneNumberParser.TryParse(input, out var number, out var error), error);
        Assert.Null(error);
        Assert.Equal(input, number.E164);
        Assert.Equal(countryCode, number.CountryCallingCode);
        Assert.Equal(national, number.NationalNumber);
        Assert.Equal(region, number.RegionCode);
        Assert.Equal(masked, number.Masked);
    }

    public static TheoryData<string?, string> Rejections => new()
    {
        { null, PhoneNumberParser.RequiredError },
        { "", PhoneNumberParser.RequiredError },
        { "8613812345678", PhoneNumberParser.FormatError },
        { "008613812345678", PhoneNumberParser.FormatError },
        { "+86 138 1234 5678", PhoneNumberParser.FormatError },
        { "+86-138-1234-5678", PhoneNumberParser.FormatError },
        { "+1 (415) 555-2671", PhoneNumberParser.FormatError },
        { "+86138abcd5678", PhoneNumberParser.FormatError },
        { " +8613812345678", PhoneNumberParser.FormatError },
        { "+8613812345678 ", PhoneNumberParser.FormatError },
        { "+8613812345678\n", PhoneNumberParser.FormatError },
        { "++8613812345678", PhoneNumberParser.FormatError },
        { "+", PhoneNumberParser.FormatError },
        { "\uFF0B8613812345678", PhoneNumberParser.FormatError },
        { "+\uFF18\uFF16\uFF11\uFF13\uFF18\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18", PhoneNumberParser.NonAsciiDigitError },
        { "+\u0669\u0667\u0661\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667", PhoneNumberParser.NonAsciiDigitError },
        { "+\u06F9\u06F8\u06F9\u06F1\u06F2\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7", PhoneNumberParser.NonAsciiDigitError },
        { "+86138\u0967\u0968\u0969\u096A5678", PhoneNumberParser.NonAsciiDigitError },
        { "+86\U0001D7CF\U0001D7D1\U0001D7D612345678", PhoneNumberParser.NonAsciiDigitError },
        { "+008613812345678", PhoneNumberParser.LeadingZeroError },
        { "+0123456789", PhoneNumberParser.LeadingZeroError },
        { "+1415555", PhoneNumberParser.LengthError },
        { "+2908123", PhoneNumberParser.LengthError },
        { "+8613812345678901", PhoneNumberParser.LengthError },
        { "+99912345678", "country calling code +999 is not assigned to a country" },
        { "+2801234567", "country calling code +280 is not assigned to a country" },
        { "+2101234567", "country calling code +210 is not assigned to a country" },
        { "+80012345678", "country calling code +800 is not assigned to a country" },
        { "+881612345678", "country calling code +881 is not assigned to a country" },
        { "+88216123456", "country calling code +882 is not assigned to a country" },
        { "+3790669812345", "country calling code +379 is not assigned to a country" },
        { "+86123456789", "is not a valid +86 number: it falls in no range of that country's numbering plan" },
        { "+86138123456789", "is not a valid +86 number: it falls in no range of that country's numbering plan" },
        { "+9198765432101", "is not a valid +91 number: it falls in no range of that country's numbering plan" },
        { "+76012345678", "is not a valid +7 number: it falls in no range of that country's numbering plan" },
        { "+447700900123", "is not a valid +44 number: it falls in no range of that country's numbering plan" },
        { "+4407911123456", PhoneNumberParser.TrunkPrefixError },
        { "+330612345678", PhoneNumberParser.TrunkPrefixError },
        { "+4907612345678", PhoneNumberParser.TrunkPrefixError },
        { "+1415555267", "a +1 number has 10 digits after the country code" },
        { "+141555526710", "a +1 number has 10 digits after the country code" },
        { "+791612345678", "a +7 number has 10 or 14 digits after the country code" },
        { "+10155552671", PhoneNumberParser.NanpError },
        { "+11555552671", PhoneNumberParser.NanpError },
        { "+19115552671", PhoneNumberParser.NanpError },
        { "+19905552671", PhoneNumberParser.NanpError },
        { "+14150552671", PhoneNumberParser.NanpError },
        { "+14151552671", PhoneNumberParser.NanpError },
        { "+12425550123", PhoneNumberParser.NanpError },
        { "+15555550100", PhoneNumberParser.NanpError },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void TryParse_InvalidInput_ReturnsFalseWithError(string? input, string expectedError)
    {
        Assert.False(PhoneNumberParser.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.Equal(expectedError, error);
    }

    public static TheoryData<string?> RejectedInputs =>
        new(Rejections.Select(row => (string?)row[0]));

    [Theory]
    [MemberData(nameof(RejectedInputs))]
    public void TryParse_InvalidInput_ErrorNeverEchoesMoreThanACountryCode(string? input)
    {
        PhoneNumberParser.TryParse(input, out _, out var error);

        var digits = new string((input ?? "").Where(char.IsAsciiDigit).ToArray());
        for (var i = 0; i + 4 <= digits.Length; i++)
        {
            Assert.DoesNotContain(digits.Substring(i, 4), error!, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Codes several regions share: +1 and +7 are separate countries' numbering plans, so the region follows
    /// the national number; elsewhere the code's main country counts, so a deny-list of GB covers the Crown
    /// Dependencies behind +44 as it did before libphonenumber.
    /// </summary>
    [Theory]
    [InlineData("+447400123456", "GB")]
    [InlineData("+442071838750", "GB")]
    [InlineData("+447781123456", "GB")]
    [InlineData("+441481256789", "GB")]
    [InlineData("+447797712345", "GB")]
    [InlineData("+441534456789", "GB")]
    [InlineData("+447624123456", "GB")]
    [InlineData("+441624756789", "GB")]
    [InlineData("+79123456789", "RU")]
    [InlineData("+74951234567", "RU")]
    [InlineData("+77710009998", "KZ")]
    [InlineData("+77272123456", "KZ")]
    [InlineData("+12015550123", "US")]
    [InlineData("+15062345678", "CA")]
    [InlineData("+18762101234", "JM")]
    [InlineData("+17875550123", "PR")]
    [InlineData("+4740612345", "NO")]
    [InlineData("+358412345678", "FI")]
    [InlineData("+262692123456", "RE")]
    [InlineData("+262639012345", "RE")]
    public void TryParse_SharedCallingCode_GetsTheCountryPoliciesSee(string input, string region)
    {
        Assert.True(PhoneNumberParser.TryParse(input, out var number, out var error), error);
        Assert.Equal(region, number.RegionCode);
    }

    [Theory]
    [InlineData("+8613812345678", "Mobile")]
    [InlineData("+861012345678", "FixedLine")]
    [InlineData("+447400123456", "Mobile")]
    [InlineData("+441212345678", "FixedLine")]
    [InlineData("+14155552671", "FixedLineOrMobile")]
    [InlineData("+18005550123", "TollFree")]
    [InlineData("+448001234567", "TollFree")]
    [InlineData("+449012345678", "PremiumRate")]
    [InlineData("+4918012345", "SharedCost")]
    [InlineData("+445612345678", "Voip")]
    [InlineData("+447012345678", "PersonalNumber")]
    [InlineData("+15005550006", "PersonalNumber")]
    [InlineData("+447640123456", "Pager")]
    [InlineData("+445512345678", "Uan")]
    [InlineData("+49177991234567", "Voicemail")]
    public void TryParse_ValidNumber_GetsTheLineTypeOfItsRange(string input, string lineType)
    {
        Assert.True(PhoneNumberParser.TryParse(input, out var number, out var error), error);
        Assert.Equal(lineType, number.LineType.ToString());
    }

    [Theory]
    [InlineData("+8613812345678", "+861381234")]
    [InlineData("+14155552671", "+1415555")]
    [InlineData("+447911123456", "+44791112")]
    [InlineData("+29051234", "+2905")]
    public void Prefix_ValidNumber_IsE164WithoutLastFourDigits(string input, string prefix)
    {
        Assert.True(PhoneNumberParser.TryParse(input, out var number, out var error), error);
        Assert.Equal(prefix, number.Prefix);
    }

    [Fact]
    public void ToString_ValidNumber_ReturnsMaskedNeverE164()
    {
        Assert.True(PhoneNumberParser.TryParse("+8613812345678", out var number, out var error), error);

        Assert.Equal("+86 138****5678", number.ToString());
        Assert.Equal("to +86 138****5678", $"to {number}");
        Assert.DoesNotContain("13812345678", number.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SameInputTwice_GivesEqualNumbers()
    {
        Assert.True(PhoneNumberParser.TryParse("+14165550123", out var first, out _));
        Assert.True(PhoneNumberParser.TryParse("+14165550123", out var second, out _));
        Assert.True(PhoneNumberParser.TryParse("+14165550124", out var other, out _));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }
}
