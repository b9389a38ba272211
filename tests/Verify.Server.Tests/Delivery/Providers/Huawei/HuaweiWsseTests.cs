using Verify.Delivery.Providers.Huawei;

namespace Verify.Server.Tests.Delivery.Providers.Huawei;

public sealed class HuaweiWsseTests
{
    [Fact]
    public void PasswordDigest_DocumentedNonceAndCreated_MatchesAnIndependentComputation()
    {
        // Nonce and Created are the examples of Huawei's "X-WSSE认证" page; the expected value was computed
        // outside .NET: python3 -c "base64.b64encode(hashlib.sha256((nonce+created+secret).encode()).digest())".
        var digest = HuaweiWsse.PasswordDigest("66C92B11FF8A425FB8D4CCFE0ED9ED1F", "2018-02-12T15:30:20Z", "q4Ii87BhST9vcs8wvrzN80SfD7Al");

        Assert.Equal("b940svd8LOR/H1k3jdTjdB6YT+z2xDBfxFYXGzY3gOg=", digest);
    }

    [Fact]
    public void Header_HasTheDocumentedShape_AndCreatedInUtc()
    {
        var header = HuaweiWsse.Header("app-key", "app-secret", "ABCDEF0123456789ABCDEF0123456789", new DateTimeOffset(2018, 2, 12, 23, 30, 20, TimeSpan.FromHours(8)));

        Assert.Matches("^UsernameToken Username=\"app-key\",PasswordDigest=\"[A-Za-z0-9+/]{43}=\",Nonce=\"ABCDEF0123456789ABCDEF0123456789\",Created=\"2018-02-12T15:30:20Z\"$", header);
    }

    [Fact]
    public void NewNonce_IsFreshHexEachTime()
    {
        var first = HuaweiWsse.NewNonce();
        var second = HuaweiWsse.NewNonce();

        Assert.Matches("^[0-9A-F]{32}$", first);
        Assert.NotEqual(first, second);
    }
}
