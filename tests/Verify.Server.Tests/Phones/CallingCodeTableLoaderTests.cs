using Verify.Server.Phones;
using Xunit;

namespace Verify.Server.Tests.Phones;

public sealed class CallingCodeTableLoaderTests
{
    private const string CodesHeader = "code,region,min_length,max_length,name";
    private const string NanpHeader = "npa,region,place";
    private const string GoodCodes = CodesHeader + "\n1,US,10,10,United States\n44,GB,9,10,United Kingdom\n";
    private const string GoodNanp = NanpHeader + "\n416,CA,Ontario\n";

    [Fact]
    public void Parse_CommentsAndBlankLines_AreSkipped()
    {
        var table = Parse("# source\n\n" + CodesHeader + "\n# note\n1,US,10,10,United States\n\n44,GB,9,10,United Kingdom\n", GoodNanp);

        Assert.Equal([1, 44], table.Codes.Keys.Order());
        Assert.Equal("CA", table.NanpRegions[416]);
    }

    [Theory]
    [InlineData("code,region,min,max,name\n1,US,10,10,United States", 1)]
    [InlineData("# c\n\ncode;region;min_length;max_length;name", 3)]
    [InlineData(CodesHeader + "\n1,US,10,10", 2)]
    [InlineData(CodesHeader + "\n1,US,10,10,United States,extra", 2)]
    [InlineData(CodesHeader + "\n1,US,10,10,United States\n4x,GB,9,10,United Kingdom", 3)]
    [InlineData(CodesHeader + "\n044,GB,9,10,United Kingdom", 2)]
    [InlineData(CodesHeader + "\n1234,GB,9,10,Nowhere", 2)]
    [InlineData(CodesHeader + "\n44,gb,9,10,United Kingdom", 2)]
    [InlineData(CodesHeader + "\n44,GBR,9,10,United Kingdom", 2)]
    [InlineData(CodesHeader + "\n44,GB,10,9,United Kingdom", 2)]
    [InlineData(CodesHeader + "\n44,GB,0,9,United Kingdom", 2)]
    [InlineData(CodesHeader + "\n44,GB,9, 10,United Kingdom", 2)]
    [InlineData(CodesHeader + "\n998,UZ,9,13,Uzbekistan", 2)]
    [InlineData(CodesHeader + "\n44,GB,9,10,", 2)]
    [InlineData(CodesHeader + "\n44,GB,9,10, United Kingdom", 2)]
    [InlineData("# c\n" + CodesHeader + "\n1,US,10,10,United States\n\n1,CA,10,10,Canada", 5)]
    [InlineData(CodesHeader + "\n2,XX,9,9,Zone\n27,ZA,9,9,South Africa", 3)]
    [InlineData(CodesHeader + "\n27,ZA,9,9,South Africa\n2,XX,9,9,Zone", 2)]
    public void Parse_MalformedCodesLine_ThrowsWithFileAndLineNumber(string codes, int line)
    {
        var exception = Assert.Throws<InvalidDataException>(() => Parse(codes, GoodNanp));

        Assert.StartsWith($"calling-codes.csv line {line}:", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npa,region\n416,CA", 1)]
    [InlineData(NanpHeader + "\n416,CA,Ontario\n123,CA,Nowhere", 3)]
    [InlineData(NanpHeader + "\n911,CA,Service code", 2)]
    [InlineData(NanpHeader + "\n290,CA,Expansion code", 2)]
    [InlineData(NanpHeader + "\n41,CA,Short", 2)]
    [InlineData(NanpHeader + "\n212,US,New York", 2)]
    [InlineData(NanpHeader + "\n416,Ca,Ontario", 2)]
    [InlineData(NanpHeader + "\n416,CA,", 2)]
    [InlineData(NanpHeader + "\n416,CA,Ontario\n416,CA,Toronto", 3)]
    public void Parse_MalformedNanpLine_ThrowsWithFileAndLineNumber(string nanp, int line)
    {
        var exception = Assert.Throws<InvalidDataException>(() => Parse(GoodCodes, nanp));

        Assert.StartsWith($"nanp-area-codes.csv line {line}:", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", GoodNanp)]
    [InlineData("# only a comment\n", GoodNanp)]
    [InlineData(CodesHeader + "\n", GoodNanp)]
    [InlineData(GoodCodes, "")]
    public void Parse_MissingHeaderOrRows_Throws(string codes, string nanp)
    {
        Assert.Throws<InvalidDataException>(() => Parse(codes, nanp));
    }

    private static CallingCodeTable Parse(string codes, string nanp) =>
        CallingCodeTableLoader.Parse(
            new StringReader(codes), CallingCodeTableLoader.CodesFileName,
            new StringReader(nanp), CallingCodeTableLoader.NanpFileName);
}
