using Verify.Delivery.Phones;
using Xunit;

namespace Verify.Server.Tests.Phones;

public sealed class PhoneMaskingTests
{
    [Theory]
    [InlineData("12345", "***45")]
    [InlineData("123456", "***456")]
    [InlineData("1234567", "***4567")]
    [InlineData("12345678", "1***5678")]
    [InlineData("123456789", "12***6789")]
    [InlineData("1234567890", "123***7890")]
    [InlineData("12345678901", "123****8901")]
    [InlineData("123456789012", "123*****9012")]
    [InlineData("1234567890123", "123******0123")]
    public void MaskNationalNumber_AnyLength_HidesAtLeastThreeAndShowsAtMostFirstThreeLastFour(string national, string masked)
    {
        Assert.Equal(masked, PhoneMasking.MaskNationalNumber(national));
    }

    [Theory]
    [InlineData("+8613812345678", "+86 138****5678")]
    [InlineData("+14165550123", "+1 416***0123")]
    [InlineData("+29051234", "+290 ***34")]
    public void Mask_ValidNumber_EqualsPhoneNumberMasked(string input, string masked)
    {
        Assert.True(PhoneNumberParser.TryParse(input, out var number, out var error), error);

        Assert.Equal(masked, PhoneMasking.Mask(input));
        Assert.Equal(number.Masked, PhoneMasking.Mask(input));
    }

    [Theory]
    [InlineData("+4407911123456", "+44*********56")]
    [InlineData("+861381142", "+8******42")]
    [InlineData("+15555550100", "+15*******00")]
    public void Mask_E164ShapedButNotAValidNumber_IsMaskedAsText(string input, string masked)
    {
        Assert.False(PhoneNumberParser.TryParse(input, out _, out _));

        Assert.Equal(masked, PhoneMasking.Mask(input));
    }

    /// <summary>
    /// A stored number is not validated again (every response masks it): shape and calling code make
    /// the mask, so it stays the same should a metadata update stop knowing the number.
    /// </summary>
    [Theory]
    [InlineData("+8613812345678", "+86 138****5678")]
    [InlineData("+15555550100", "+1 555***0100")]
    [InlineData("+4407911123456", "+44 079****3456")]
    [InlineData("+80012345678", "+80*******78")]
    [InlineData("+0123456789", "+0*******89")]
    [InlineData("+86 138 1234 5678", "+86************78")]
    public void MaskStored_ShapeAndCallingCodeMakeTheMask_ElseAsText(string stored, string masked)
    {
        Assert.Equal(masked, PhoneMasking.MaskStored(stored));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Mask_NullOrEmpty_ReturnsEmpty(string? input)
    {
        Assert.Equal("", PhoneMasking.Mask(input));
    }

    [Theory]
    [InlineData("8613812345678", "861********78")]
    [InlineData("+1 (415) 555-2671", "+1 ************71")]
    [InlineData("+99912345678", "+99*******78")]
    [InlineData("12345", "1***5")]
    [InlineData("1234", "1**4")]
    [InlineData("123", "***")]
    [InlineData("+", "*")]
    [InlineData("not a phone", "no*******ne")]
    public void Mask_InvalidValue_ShowsAtMostFirstThreeAndLastTwoCharacters(string input, string masked)
    {
        Assert.Equal(masked, PhoneMasking.Mask(input));
    }

    [Theory]
    [InlineData("ab\ncdefgh\r\n", "ab*******??")]
    [InlineData("\u001b[31m+8613812345678", "?[3**************78")]
    [InlineData("+86\u202E13812345678\u202C", "+86***********8?")]
    [InlineData("+\uFF18\uFF16\uFF11\uFF13\uFF18\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18", "+??*********??")]
    public void Mask_InvalidValueWithNonPrintableCharacters_ShowsThemAsQuestionMarks(string input, string masked)
    {
        Assert.Equal(masked, PhoneMasking.Mask(input));
    }

    [Fact]
    public void Mask_SurrogatePairs_CountAsOneCharacterEach()
    {
        // Eight emoji are 16 UTF-16 units but 8 characters; none is printable ASCII.
        var input = string.Concat(Enumerable.Repeat("\U0001F4DE", 8));

        Assert.Equal("??****??", PhoneMasking.Mask(input));
    }

    [Fact]
    public void Mask_HugeValue_CapsTheMaskedMiddle()
    {
        var masked = PhoneMasking.Mask(new string('9', 100_000));

        Assert.Equal("999" + new string('*', 16) + "99", masked);
    }
}
