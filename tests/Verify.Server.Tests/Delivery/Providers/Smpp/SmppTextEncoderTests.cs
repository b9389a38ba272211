using Verify.Delivery.Providers.Smpp;
using Verify.Delivery.Sms;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

public sealed class SmppTextEncoderTests
{
    [Theory]
    [InlineData("@", "00")]
    [InlineData("£$¥", "010203")]
    [InlineData("\n\r", "0a0d")]
    [InlineData("Δ_", "1011")]
    [InlineData("¡¿", "4060")]
    [InlineData("¤", "24")]
    [InlineData("ÄÖÑÜ§äöñüà", "5b5c5d5e5f7b7c7d7e7f")]
    [InlineData("€", "1b65")]
    [InlineData("{}", "1b281b29")]
    [InlineData("[~]", "1b3c1b3d1b3e")]
    [InlineData("\\|^", "1b2f1b401b14")]
    [InlineData("\f", "1b0a")]
    [InlineData("Az09", "417a3039")]
    public void Encode_Gsm7_MapsThroughTheDefaultAlphabetAndItsExtension(string text, string hex)
    {
        var encoded = SmppTextEncoder.Encode(text, SmppDataCoding.Gsm7, 0)!;

        Assert.Equal(SmppTextEncoder.Gsm7DataCoding, encoded.DataCoding);
        Assert.Equal(hex, Convert.ToHexStringLower(Assert.Single(encoded.Segments)));
    }

    [Theory]
    [InlineData("ç")] // only capital Ç is in the table
    [InlineData("`")]
    [InlineData("验证码")]
    [InlineData("\u001B")] // ESC is not a character
    public void Encode_CharacterOutsideGsm7_FallsBackToUcs2(string text)
    {
        var encoded = SmppTextEncoder.Encode("code " + text, SmppDataCoding.Gsm7, 0)!;

        Assert.Equal(SmppTextEncoder.Ucs2DataCoding, encoded.DataCoding);
        Assert.Equal(System.Text.Encoding.BigEndianUnicode.GetBytes("code " + text), Assert.Single(encoded.Segments));
    }

    [Fact]
    public void Encode_Ucs2Preference_IsUsedEvenForGsm7Text()
    {
        var encoded = SmppTextEncoder.Encode("Az", SmppDataCoding.Ucs2, 0)!;

        Assert.Equal(SmppTextEncoder.Ucs2DataCoding, encoded.DataCoding);
        Assert.Equal("0041007a", Convert.ToHexStringLower(Assert.Single(encoded.Segments)));
    }

    [Fact]
    public void Encode_Exactly160Gsm7_IsOneSegmentWithoutHeader()
    {
        var encoded = SmppTextEncoder.Encode(new string('a', 160), SmppDataCoding.Gsm7, 9)!;

        Assert.False(encoded.Concatenated);
        Assert.Equal(160, Assert.Single(encoded.Segments).Length);
    }

    [Fact]
    public void Encode_161Gsm7_Is153And8WithUdh()
    {
        var encoded = SmppTextEncoder.Encode(new string('a', 161), SmppDataCoding.Gsm7, 0xAB)!;

        Assert.True(encoded.Concatenated);
        Assert.Equal(2, encoded.Segments.Count);
        Assert.Equal([0x05, 0x00, 0x03, 0xAB, 0x02, 0x01], encoded.Segments[0][..6]);
        Assert.Equal([0x05, 0x00, 0x03, 0xAB, 0x02, 0x02], encoded.Segments[1][..6]);
        Assert.Equal(6 + 153, encoded.Segments[0].Length);
        Assert.Equal(6 + 8, encoded.Segments[1].Length);
    }

    [Fact]
    public void Encode_80EuroSigns_CountTwoSeptetsEach()
    {
        // 80 × 2 = 160 septets: still one message; 81 are not.
        Assert.False(SmppTextEncoder.Encode(new string('€', 80), SmppDataCoding.Gsm7, 0)!.Concatenated);
        Assert.True(SmppTextEncoder.Encode(new string('€', 81), SmppDataCoding.Gsm7, 0)!.Concatenated);
    }

    [Fact]
    public void Encode_EscapeAtTheSegmentBoundary_MovesWholeToTheNextSegment()
    {
        var encoded = SmppTextEncoder.Encode(new string('a', 152) + "€" + new string('b', 10), SmppDataCoding.Gsm7, 1)!;

        Assert.Equal(6 + 152, encoded.Segments[0].Length);
        Assert.Equal(0x61, encoded.Segments[0][^1]);
        Assert.Equal([0x1B, 0x65], encoded.Segments[1][6..8]);
    }

    [Fact]
    public void Encode_Exactly70Ucs2_IsOneSegment()
    {
        var encoded = SmppTextEncoder.Encode(new string('验', 70), SmppDataCoding.Gsm7, 0)!;

        Assert.Equal(140, Assert.Single(encoded.Segments).Length);
    }

    [Fact]
    public void Encode_71Ucs2_Is67And4WithUdh()
    {
        var encoded = SmppTextEncoder.Encode(new string('验', 71), SmppDataCoding.Gsm7, 7)!;

        Assert.Equal(2, encoded.Segments.Count);
        Assert.Equal(6 + 134, encoded.Segments[0].Length);
        Assert.Equal(6 + 8, encoded.Segments[1].Length);
        Assert.Equal([0x05, 0x00, 0x03, 0x07, 0x02, 0x02], encoded.Segments[1][..6]);
    }

    [Fact]
    public void Encode_SurrogatePairAtTheSegmentBoundary_MovesWholeToTheNextSegment()
    {
        var encoded = SmppTextEncoder.Encode(new string('验', 66) + "😀" + "码码码码码", SmppDataCoding.Gsm7, 0)!;

        Assert.Equal(6 + 132, encoded.Segments[0].Length);
        Assert.Equal(System.Text.Encoding.BigEndianUnicode.GetBytes("😀"), encoded.Segments[1][6..10]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(153)]
    [InlineData(160)]
    [InlineData(161)]
    [InlineData(306)]
    [InlineData(307)]
    [InlineData(1000)]
    public void Encode_SegmentCount_AgreesWithSmsEncodingForGsm7(int length)
    {
        var text = string.Concat(Enumerable.Range(0, length).Select(i => i % 7 == 0 ? '€' : 'a'));

        Assert.Equal(SmsEncoding.Analyze(text).Segments, SmppTextEncoder.Encode(text, SmppDataCoding.Gsm7, 0)!.Segments.Count);
    }

    [Theory]
    [InlineData(69)]
    [InlineData(70)]
    [InlineData(71)]
    [InlineData(134)]
    [InlineData(135)]
    [InlineData(500)]
    public void Encode_SegmentCount_AgreesWithSmsEncodingForUcs2(int length)
    {
        var text = string.Concat(Enumerable.Range(0, length).Select(i => i % 11 == 0 ? "😀" : "验"));

        Assert.Equal(SmsEncoding.Analyze(text).Segments, SmppTextEncoder.Encode(text, SmppDataCoding.Gsm7, 0)!.Segments.Count);
    }

    [Fact]
    public void Encode_MoreThan255Segments_IsRefused() =>
        Assert.Null(SmppTextEncoder.Encode(new string('a', 153 * 255 + 1), SmppDataCoding.Gsm7, 0));

    [Fact]
    public void Encode_Segments_ConcatenateBackToTheText()
    {
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => (char)('A' + (i % 26))));

        var encoded = SmppTextEncoder.Encode(text, SmppDataCoding.Gsm7, 0)!;

        Assert.Equal(3, encoded.Segments.Count);
        Assert.Equal(text, string.Concat(encoded.Segments.Select(s => System.Text.Encoding.ASCII.GetString(s, 6, s.Length - 6))));
    }
}
