using Verify.Delivery.Providers.Aliyun;

namespace Verify.Server.Tests.Delivery.Providers.Aliyun;

/// <summary>The RPC signature 1.0 against the worked examples Alibaba Cloud publishes.</summary>
public sealed class AliyunRpcSignerTests
{
    /// <summary>
    /// Short Message Service, "HTTP协议及签名" (help.aliyun.com/document_detail/56189.html): a GET SendSms with
    /// AccessKeyId testId, AccessKeySecret testSecret, its string to sign and signature as published.
    /// </summary>
    [Fact]
    public void Sign_SmsDocumentationExample_ReproducesThePublishedStringToSignAndSignature()
    {
        var parameters = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testId",
            ["Timestamp"] = "2017-07-12T02:42:19Z",
            ["Format"] = "XML",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureVersion"] = "1.0",
            ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466",
            ["Action"] = "SendSms",
            ["Version"] = "2017-05-25",
            ["RegionId"] = "cn-hangzhou",
            ["PhoneNumbers"] = "15300000001",
            ["SignName"] = "阿里云短信测试专用",
            ["TemplateParam"] = "{\"customer\":\"test\"}",
            ["TemplateCode"] = "SMS_71390007",
            ["OutId"] = "123",
        };

        var stringToSign = AliyunRpcSigner.StringToSign("GET", parameters);

        Assert.Equal(
            "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
            stringToSign);
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunRpcSigner.Sign("testSecret", stringToSign));
    }

    /// <summary>
    /// The generic RPC "Signature mechanism" page (e.g. help.aliyun.com/en/document_detail/145075.html):
    /// ECS DescribeRegions with AccessKeyId testid, AccessKeySecret testsecret.
    /// </summary>
    [Fact]
    public void Sign_RpcDocumentationExample_ReproducesThePublishedStringToSignAndSignature()
    {
        var parameters = new Dictionary<string, string>
        {
            ["Timestamp"] = "2016-02-23T12:46:24Z",
            ["Format"] = "XML",
            ["AccessKeyId"] = "testid",
            ["Action"] = "DescribeRegions",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            ["Version"] = "2014-05-26",
            ["SignatureVersion"] = "1.0",
        };

        var stringToSign = AliyunRpcSigner.StringToSign("GET", parameters);

        Assert.Equal(
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
            stringToSign);
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunRpcSigner.Sign("testsecret", stringToSign));
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("*", "%2A")]
    [InlineData("~-_.", "~-_.")]
    [InlineData("+/=&:", "%2B%2F%3D%26%3A")]
    [InlineData("中", "%E4%B8%AD")]
    public void PercentEncode_DocumentedRules_SpaceStarAndTildeAsSpecified(string value, string expected) =>
        Assert.Equal(expected, AliyunRpcSigner.PercentEncode(value));

    [Fact]
    public void CanonicalizedQuery_SignatureParameter_IsLeftOut()
    {
        var parameters = new Dictionary<string, string> { ["B"] = "2", ["Signature"] = "x", ["A"] = "1" };

        Assert.Equal("A=1&B=2", AliyunRpcSigner.CanonicalizedQuery(parameters));
    }
}
