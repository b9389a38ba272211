using Verify.Grpc.Internal;

namespace Verify.Grpc.Tests.Unit;

public sealed class GrpcTimeoutTests
{
    public static TheoryData<string, TimeSpan> ValidTimeouts => new()
    {
        { "2H", TimeSpan.FromHours(2) },
        { "3M", TimeSpan.FromMinutes(3) },
        { "5S", TimeSpan.FromSeconds(5) },
        { "250m", TimeSpan.FromMilliseconds(250) },
        { "1500u", TimeSpan.FromMilliseconds(1.5) },
        { "7u", TimeSpan.FromTicks(70) },
        { "1000000n", TimeSpan.FromMilliseconds(1) },
        { "300n", TimeSpan.FromTicks(3) },
        { "0S", TimeSpan.Zero },
        { "99999999S", TimeSpan.FromSeconds(99_999_999) },
        { "99999999H", TimeSpan.FromHours(99_999_999) },
        { "00000001m", TimeSpan.FromMilliseconds(1) },
    };

    [Theory]
    [MemberData(nameof(ValidTimeouts))]
    public void TryParse_DigitsAndUnit_ReturnsTimeout(string value, TimeSpan expected)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(expected, timeout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("123456789S")]
    [InlineData("10s")]
    [InlineData("10h")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData(" 1S")]
    [InlineData("1 S")]
    [InlineData("1.5S")]
    [InlineData("1S ")]
    [InlineData("١S")]
    public void TryParse_Invalid_ReturnsFalse(string? value) =>
        Assert.False(GrpcTimeout.TryParse(value, out _));
}
