namespace Verify.Grpc.Tests.Unit;

public sealed class MetadataEntryTests
{
    [Theory]
    [InlineData("x-user", "x-user")]
    [InlineData("X-User", "x-user")]
    [InlineData("a.b_c-9", "a.b_c-9")]
    public void Constructor_ValidTextKey_StoresLowerCaseKey(string key, string expected)
    {
        var entry = new MetadataEntry(key, "value");

        Assert.Equal(expected, entry.Key);
        Assert.False(entry.IsBinary);
        Assert.Equal("value", entry.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x user")]
    [InlineData("x:user")]
    [InlineData("x/user")]
    [InlineData("x~user")]
    [InlineData("clé")]
    public void Constructor_InvalidKey_Throws(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new MetadataEntry(key, "value"));

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\t")]
    [InlineData("é")]
    public void Constructor_NonPrintableTextValue_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => new MetadataEntry("x-user", value));

    [Fact]
    public void Constructor_TextForBinaryKey_Throws() =>
        Assert.Throws<ArgumentException>(() => new MetadataEntry("x-data-bin", "text"));

    [Fact]
    public void Constructor_BytesForTextKey_Throws() =>
        Assert.Throws<ArgumentException>(() => new MetadataEntry("x-data", [1, 2]));

    [Fact]
    public void Constructor_BytesForBinaryKey_StoresBytes()
    {
        var entry = new MetadataEntry("X-Data-Bin", [0, 255]);

        Assert.Equal("x-data-bin", entry.Key);
        Assert.True(entry.IsBinary);
        Assert.Equal([0, 255], entry.ValueBytes);
        Assert.Throws<InvalidOperationException>(() => entry.Value);
    }
}
