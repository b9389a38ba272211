using Verify.Engine.Codes;

namespace Verify.Server.Tests.Codes;

public sealed class TransactionDetailsTests
{
    [Theory]
    [InlineData("25.00", "25")]
    [InlineData("25.0", "25")]
    [InlineData("25", "25")]
    [InlineData("025.10", "25.1")]
    [InlineData("0.0001", "0.0001")]
    public void Create_SameAmountWrittenDifferently_IsOneCanonicalAmount(string typed, string canonical) =>
        Assert.Equal(canonical, TransactionDetails.Create(typed, "EUR", "Shop").Amount);

    [Theory]
    [InlineData("25", "25.00")]
    [InlineData("25.1", "25.10")]
    [InlineData("25.125", "25.125")]
    public void DisplayAmount_ShowsAtLeastTwoDecimals(string typed, string shown) =>
        Assert.Equal(shown, TransactionDetails.Create(typed, "EUR", "Shop").DisplayAmount);
}
