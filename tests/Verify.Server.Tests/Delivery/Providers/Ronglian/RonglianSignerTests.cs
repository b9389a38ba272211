using Verify.Delivery.Providers.Ronglian;

namespace Verify.Server.Tests.Delivery.Providers.Ronglian;

public sealed class RonglianSignerTests
{
    private const string AccountSid = "8aaf07086904be0b0169bb7c8b4f1234";
    private const string AuthToken = "e4c1c93a5e7744df9c6b0fa7f9e2a7d1";

    [Fact]
    public void Timestamp_IsBeijingTimeWhateverTheInputOffset()
    {
        Assert.Equal("20261122160000", RonglianSigner.Timestamp(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal("20261123013000", RonglianSigner.Timestamp(new DateTimeOffset(2026, 11, 22, 12, 30, 0, TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void Sig_MatchesAnIndependentComputation()
    {
        // Computed outside .NET: python3 -c "hashlib.md5((sid+token+ts).encode()).hexdigest().upper()".
        Assert.Equal("2C86C63CB48ADC4293C6C81DBECB08BE", RonglianSigner.Sig(AccountSid, AuthToken, "20261122160000"));
    }

    [Fact]
    public void Authorization_MatchesAnIndependentComputation()
    {
        // Computed outside .NET: python3 -c "base64.b64encode((sid + ':' + ts).encode())".
        Assert.Equal("OGFhZjA3MDg2OTA0YmUwYjAxNjliYjdjOGI0ZjEyMzQ6MjAyNjExMjIxNjAwMDA=", RonglianSigner.Authorization(AccountSid, "20261122160000"));
    }
}
