using Verify.Delivery.Sms;
using Xunit;

namespace Verify.Server.Tests.Messages;

public sealed class SmsEncodingTests
{
    [Fact]
    public void Analyze_AsciiText_IsGsm7WithOneSeptetPerCharacter()
    {
        const string text = "Verify: 123456 is your login code. Valid for 5 min.";

        var info = SmsEncoding.Analyze(text);

        Assert.Equal(SmsCharset.Gsm7, info.Charset);
        Assert.Equal(text.Length, info.Units);
        Assert.Equal(1, info.Segments);
        Assert.Equal(160, info.UnitsPerSegment);
        Assert.Equal(160 - text.Length, info.RemainingInLastSegment);
    }

    [Fact]
    public void Analyze_EveryPrintableAsciiCharacterButBackquote_IsGsm7()
    {
        var printable = new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c != '`').ToArray());

        Assert.Equal(SmsCharset.Gsm7, SmsEncoding.Analyze(printable).Charset);
    }

    [Fact]
    public void Analyze_Backquote_IsUcs2BecauseGsm7HasNoBackquote()
    {
        Assert.Equal(SmsCharset.Ucs2, SmsEncoding.Analyze("code `123456`").Charset);
    }

    [Fact]
    public void Analyze_GreekCapitalsAndWesternAccents_AreGsm7()
    {
        const string text = "ΔΦΓΛΩΠΨΣΘΞ àäåæçÇéèìñòöøùüß £¥¤§¿¡";

        // ç (small) is the one character here outside the table: GSM 03.38 has only the capital Ç.
        Assert.Equal(SmsCharset.Ucs2, SmsEncoding.Analyze(text).Charset);
        Assert.Equal(SmsCharset.Gsm7, SmsEncoding.Analyze(text.Replace("ç", "")).Charset);
    }

    [Theory]
    [InlineData('€')]
    [InlineData('[')]
    [InlineData(']')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('^')]
    [InlineData('~')]
    [InlineData('\\')]
    [InlineData('|')]
    [InlineData('\f')]
    public void Analyze_ExtensionTableCharacter_CountsTwoSeptets(char extension)
    {
        var text = $"Pay 5{extension} now";

        var info = SmsEncoding.Analyze(text);

        Assert.Equal(SmsCharset.Gsm7, info.Charset);
        Assert.Equal(text.Length + 1, info.Units);
    }

    [Fact]
    public void Analyze_OneChineseCharacter_MakesTheWholeTextUcs2()
    {
        const string text = "Verify: 123456 is your code 码";

        var info = SmsEncoding.Analyze(text);

        Assert.Equal(SmsCharset.Ucs2, info.Charset);
        Assert.Equal(text.Length, info.Units);
        Assert.Equal(70, info.UnitsPerSegment);
    }

    [Fact]
    public void Analyze_EuroInUcs2Text_CountsOneUnit()
    {
        var info = SmsEncoding.Analyze("支付5€");

        Assert.Equal(SmsCharset.Ucs2, info.Charset);
        Assert.Equal(4, info.Units);
    }

    [Fact]
    public void Analyze_EmojiSurrogatePair_CountsTwoUnits()
    {
        const string emoji = "\U0001F600";

        var info = SmsEncoding.Analyze(emoji);

        Assert.Equal(SmsCharset.Ucs2, info.Charset);
        Assert.Equal(2, info.Units);
    }

    [Fact]
    public void Analyze_EmptyString_IsOneSegmentOfZeroUnits()
    {
        var info = SmsEncoding.Analyze("");

        Assert.Equal(new SmsSegmentInfo(SmsCharset.Gsm7, 0, 1, 160, 160), info);
    }

    [Theory]
    [InlineData(160, 1, 160, 0)]
    [InlineData(161, 2, 153, 153 * 2 - 161)]
    [InlineData(153 * 2, 2, 153, 0)]
    [InlineData(153 * 2 + 1, 3, 153, 152)]
    public void Analyze_Gsm7LengthAtBoundary_HasExpectedSegments(int length, int segments, int perSegment, int remaining)
    {
        var info = SmsEncoding.Analyze(new string('a', length));

        Assert.Equal(new SmsSegmentInfo(SmsCharset.Gsm7, length, segments, perSegment, remaining), info);
    }

    [Theory]
    [InlineData(70, 1, 70, 0)]
    [InlineData(71, 2, 67, 67 * 2 - 71)]
    [InlineData(67 * 2, 2, 67, 0)]
    [InlineData(67 * 2 + 1, 3, 67, 66)]
    public void Analyze_Ucs2LengthAtBoundary_HasExpectedSegments(int length, int segments, int perSegment, int remaining)
    {
        var info = SmsEncoding.Analyze(new string('码', length));

        Assert.Equal(new SmsSegmentInfo(SmsCharset.Ucs2, length, segments, perSegment, remaining), info);
    }

    [Fact]
    public void Analyze_ExtensionCharacterFillingTheLastSingleSeptets_StaysOneSegment()
    {
        Assert.Equal(1, SmsEncoding.Analyze(new string('a', 158) + "€").Segments);
        Assert.Equal(2, SmsEncoding.Analyze(new string('a', 159) + "€").Segments);
    }

    [Fact]
    public void Analyze_ExtensionCharacterStraddlingPartBoundary_MovesToNextPart()
    {
        // 306 septets would fit two parts of 153, but € needs septets 153 and 154 together:
        // part 1 is 152 'a' plus padding, part 2 is € + 151 'a', part 3 the last 'a'.
        var straddling = SmsEncoding.Analyze(new string('a', 152) + "€" + new string('a', 152));
        var aligned = SmsEncoding.Analyze(new string('a', 151) + "€" + new string('a', 153));

        Assert.Equal(306, straddling.Units);
        Assert.Equal(3, straddling.Segments);
        Assert.Equal(152, straddling.RemainingInLastSegment);
        Assert.Equal(306, aligned.Units);
        Assert.Equal(2, aligned.Segments);
        Assert.Equal(0, aligned.RemainingInLastSegment);
    }

    [Fact]
    public void Analyze_SurrogatePairStraddlingPartBoundary_MovesToNextPart()
    {
        const string emoji = "\U0001F600";
        var straddling = SmsEncoding.Analyze(new string('码', 66) + emoji + new string('码', 66));
        var aligned = SmsEncoding.Analyze(new string('码', 65) + emoji + new string('码', 67));

        Assert.Equal(134, straddling.Units);
        Assert.Equal(3, straddling.Segments);
        Assert.Equal(2, aligned.Segments);
    }
}
