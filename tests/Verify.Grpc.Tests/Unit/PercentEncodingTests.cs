using Verify.Grpc.Internal;

namespace Verify.Grpc.Tests.Unit;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Deadline Exceeded")]
    [InlineData("a-z A-Z 0-9 !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~")]
    public void Encode_PrintableAsciiWithoutPercent_ReturnsInputUnchanged(string value) =>
        Assert.Equal(value, PercentEncoding.Encode(value));

    [Theory]
    [InlineData("100%", "100%25")]
    [InlineData("é", "%C3%A9")]
    [InlineData("line\nbreak\ttab", "line%0Abreak%09tab")]
    [InlineData("\u007f", "%7F")]
    [InlineData("€", "%E2%82%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("a%b é", "a%25b %C3%A9")]
    public void Encode_PercentControlOrNonAscii_EscapesEachUtf8Byte(string value, string expected) =>
        Assert.Equal(expected, PercentEncoding.Encode(value));

    [Theory]
    [InlineData("%C3%A9", "é")]
    [InlineData("%c3%a9", "é")]
    [InlineData("100%25", "100%")]
    [InlineData("%F0%9F%98%80", "😀")]
    public void Decode_ValidEscapes_ReturnsUtf8Text(string value, string expected) =>
        Assert.Equal(expected, PercentEncoding.Decode(value));

    [Theory]
    [InlineData("%")]
    [InlineData("50%")]
    [InlineData("%4")]
    [InlineData("%zz")]
    [InlineData("%G1 rest")]
    [InlineData("a%%41")]
    public void Decode_MalformedEscape_KeepsItAsText(string value)
    {
        var decoded = PercentEncoding.Decode(value);

        // The valid "%41" inside "a%%41" still decodes; every malformed '%' stays.
        Assert.Equal(value.Replace("%41", "A", StringComparison.Ordinal), decoded);
    }

    [Fact]
    public void Decode_RawNonAsciiInput_IsKept() =>
        Assert.Equal("héllo é", PercentEncoding.Decode("héllo %C3%A9"));

    [Fact]
    public void EncodeThenDecode_SampleStrings_RoundTrip()
    {
        string[] samples =
        [
            "", "plain", "100% done", "%%%", "%25", "Código inválido", "日本語のメッセージ", "emoji 😀👍🏽 mix",
            "control \u0001\u001f\u007f chars", "\r\n", "tab\there", "Ωμέγα ✓", new string('é', 300),
        ];

        foreach (var sample in samples)
        {
            var encoded = PercentEncoding.Encode(sample);
            Assert.All(encoded, c => Assert.InRange(c, ' ', '~'));
            Assert.Equal(sample, PercentEncoding.Decode(encoded));
        }
    }
}
