using System.Text;
using Verify.Delivery.Providers.Tencent;

namespace Verify.Server.Tests.Delivery.Providers.Tencent;

/// <summary>
/// TC3-HMAC-SHA256 against the worked example of Tencent Cloud's API 3.0 "Signature v3" page (English
/// edition, tencentcloud.com): a CVM DescribeInstances request at timestamp 1551113065, signed headers
/// content-type;host, SecretKey "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE". Every intermediate value the page
/// publishes is checked, down to the signature.
/// </summary>
public sealed class TencentTc3SignerTests
{
    private const string SecretId = "AKID**********************0123456789EXAMPLE";
    private const string SecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    private const long Timestamp = 1551113065;

    /// <summary>The body exactly as published, "\u672a\u547d\u540d" ("未命名") escaped.</summary>
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}""");

    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Host", "cvm.tencentcloudapi.com"),
        new("Content-Type", "application/json; charset=utf-8"),
    ];

    [Fact]
    public void CanonicalRequest_DocumentedExample_IsThePublishedText()
    {
        var (text, signedHeaders) = TencentTc3Signer.CanonicalRequest("POST", "/", string.Empty, Headers, Payload);

        Assert.Equal("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", TencentTc3Signer.HexSha256(Payload));
        Assert.Equal(
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
            text);
        Assert.Equal("content-type;host", signedHeaders);
    }

    [Fact]
    public void StringToSign_DocumentedExample_IsThePublishedText()
    {
        var (canonical, _) = TencentTc3Signer.CanonicalRequest("POST", "/", string.Empty, Headers, Payload);

        var stringToSign = TencentTc3Signer.StringToSign(Timestamp, "2019-02-25/cvm/tc3_request", canonical);

        Assert.Equal("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", stringToSign);
    }

    [Fact]
    public void Authorization_DocumentedExample_IsThePublishedHeader()
    {
        var authorization = TencentTc3Signer.Authorization(SecretId, SecretKey, "cvm", Timestamp, "POST", Headers, Payload);

        Assert.Equal(
            "TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            authorization);
    }

    /// <summary>The page's warning: 1551113065 is 2019-02-26 00:44:25 in Beijing, but the scope date is the UTC one.</summary>
    [Fact]
    public void Date_JustAfterMidnightInBeijing_IsTheUtcDate() => Assert.Equal("2019-02-25", TencentTc3Signer.Date(Timestamp));
}
