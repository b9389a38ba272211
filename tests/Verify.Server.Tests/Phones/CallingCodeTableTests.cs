using Verify.Server.Phones;
using Xunit;

namespace Verify.Server.Tests.Phones;

public sealed class CallingCodeTableTests
{
    [Fact]
    public void Default_ShippedFiles_LoadEveryCountryAndNanpMember()
    {
        var table = CallingCodeTable.Default;

        // About 200 countries and territories have their own code; NANP has 24 non-US members.
        Assert.InRange(table.Codes.Count, 200, 230);
        Assert.Equal(24, table.NanpRegions.Values.Distinct().Count());
    }

    [Fact]
    public void Default_ManyThreadsAtOnce_SeeOneTable()
    {
        var seen = new CallingCodeTable[16];
        Parallel.For(0, seen.Length, i => seen[i] = CallingCodeTable.Default);

        Assert.All(seen, table => Assert.Same(seen[0], table));
    }

    [Fact]
    public void ShippedCodesFile_HasNoDuplicateCodesOrRegions()
    {
        var rows = ReadDataRows(CallingCodeTableLoader.CodesResourceName);

        AssertNoDuplicates(rows.Select(r => r[0]));
        // Each region has one main code; a repeat is almost always a copy-paste slip.
        AssertNoDuplicates(rows.Select(r => r[1]));
    }

    [Fact]
    public void ShippedNanpFile_HasNoDuplicateAreaCodes()
    {
        var rows = ReadDataRows(CallingCodeTableLoader.NanpResourceName);

        AssertNoDuplicates(rows.Select(r => r[0]));
    }

    [Fact]
    public void ShippedCodes_ArePrefixFreeAndFitE164()
    {
        var codes = CallingCodeTable.Default.Codes.Values.ToList();

        Assert.All(codes, code =>
        {
            var text = code.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(text.Length, 1, 3);
            Assert.Equal(text.Length, code.Digits);
            Assert.InRange(code.MinLength, 1, code.MaxLength);
            Assert.True(code.Digits + code.MaxLength <= PhoneNumberParser.MaxDigits, $"+{code.Code} can exceed 15 digits");
            Assert.DoesNotContain(codes, other => other != code && text.StartsWith(
                other.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(210)]
    [InlineData(259)]
    [InlineData(280)]
    [InlineData(289)]
    [InlineData(379)]
    [InlineData(388)]
    [InlineData(422)]
    [InlineData(671)]
    [InlineData(684)]
    [InlineData(800)]
    [InlineData(808)]
    [InlineData(870)]
    [InlineData(881)]
    [InlineData(882)]
    [InlineData(883)]
    [InlineData(888)]
    [InlineData(979)]
    [InlineData(991)]
    [InlineData(997)]
    [InlineData(999)]
    public void ShippedCodes_ExcludeSpareAndNonCountryCodes(int code)
    {
        Assert.False(CallingCodeTable.Default.Codes.ContainsKey(code));
    }

    [Theory]
    [InlineData(1, "US")]
    [InlineData(7, "RU")]
    [InlineData(20, "EG")]
    [InlineData(44, "GB")]
    [InlineData(49, "DE")]
    [InlineData(55, "BR")]
    [InlineData(61, "AU")]
    [InlineData(81, "JP")]
    [InlineData(86, "CN")]
    [InlineData(91, "IN")]
    [InlineData(234, "NG")]
    [InlineData(383, "XK")]
    [InlineData(852, "HK")]
    [InlineData(886, "TW")]
    [InlineData(971, "AE")]
    [InlineData(998, "UZ")]
    public void ShippedCodes_MapCodeToMainRegion(int code, string region)
    {
        Assert.Equal(region, CallingCodeTable.Default.Codes[code].Region);
    }

    [Theory]
    [InlineData(204, "CA")]
    [InlineData(403, "CA")]
    [InlineData(416, "CA")]
    [InlineData(514, "CA")]
    [InlineData(604, "CA")]
    [InlineData(709, "CA")]
    [InlineData(867, "CA")]
    [InlineData(902, "CA")]
    [InlineData(905, "CA")]
    [InlineData(242, "BS")]
    [InlineData(246, "BB")]
    [InlineData(264, "AI")]
    [InlineData(268, "AG")]
    [InlineData(284, "VG")]
    [InlineData(340, "VI")]
    [InlineData(345, "KY")]
    [InlineData(441, "BM")]
    [InlineData(473, "GD")]
    [InlineData(649, "TC")]
    [InlineData(658, "JM")]
    [InlineData(876, "JM")]
    [InlineData(664, "MS")]
    [InlineData(670, "MP")]
    [InlineData(671, "GU")]
    [InlineData(684, "AS")]
    [InlineData(721, "SX")]
    [InlineData(758, "LC")]
    [InlineData(767, "DM")]
    [InlineData(784, "VC")]
    [InlineData(787, "PR")]
    [InlineData(939, "PR")]
    [InlineData(809, "DO")]
    [InlineData(829, "DO")]
    [InlineData(849, "DO")]
    [InlineData(868, "TT")]
    [InlineData(869, "KN")]
    public void ShippedNanpAreaCodes_MapToTheirRegion(int npa, string region)
    {
        Assert.Equal(region, CallingCodeTable.Default.NanpRegions[npa]);
    }

    [Fact]
    public void ShippedNanpAreaCodes_AreValidAndNeverUsOrAnotherCallingCodeRegion()
    {
        var table = CallingCodeTable.Default;
        var ownCodeRegions = table.Codes.Values.Select(c => c.Region).ToHashSet();

        Assert.All(table.NanpRegions, pair =>
        {
            Assert.True(NanpNumbering.IsValidAreaCode(pair.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.NotEqual("US", pair.Value);
            Assert.DoesNotContain(pair.Value, ownCodeRegions);
        });
    }

    [Theory]
    [InlineData("8613812345678", 86)]
    [InlineData("2125123456", 212)]
    [InlineData("14155552671", 1)]
    [InlineData("79161234567", 7)]
    [InlineData("35312345678", 353)]
    public void TryMatch_Digits_FindsTheCallingCodeTheyStartWith(string digits, int expected)
    {
        Assert.True(CallingCodeTable.Default.TryMatch(digits, out var code));
        Assert.Equal(expected, code.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0861381234")]
    [InlineData("28012345")]
    [InlineData("+8613812345")]
    public void TryMatch_NoCallingCode_ReturnsFalse(string digits)
    {
        Assert.False(CallingCodeTable.Default.TryMatch(digits, out _));
    }

    private static List<string[]> ReadDataRows(string resourceName)
    {
        using var reader = CallingCodeTableLoader.OpenResource(resourceName);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        Assert.NotEmpty(lines);
        return lines.Skip(1).Select(l => l.Split(',')).ToList();
    }

    private static void AssertNoDuplicates(IEnumerable<string> values)
    {
        var duplicates = values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }
}
