using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers.Aliyun;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Aliyun;

/// <summary>The Aliyun sender against a local server that checks the request as Dysmsapi's SendSms documents it.</summary>
public sealed class AliyunSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string Secret = "test-access-key-secret-0123";

    /// <summary>The documented success body of SendSms.</summary>
    private const string Accepted = """{"Code":"OK","Message":"OK","BizId":"9006197469364984^0","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"}""";

    private static readonly string[] CommonParameters =
        ["AccessKeyId", "Action", "Format", "RegionId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"];

    private static readonly string[] OperationParameters = ["OutId", "PhoneNumbers", "SignName", "TemplateCode", "TemplateParam"];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 5, TimeSpan.Zero));
    private StubHttpServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await StubHttpServer.StartAsync();
        _server.Reply(200, Accepted);
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_Accepted_PostsTheDocumentedRequestAndReturnsTheBizId()
    {
        var result = await Sender(Options()).SendAsync(SmsMessages.Login(sendId: "0123456789abcdef"), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("9006197469364984^0", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Headers["Content-Type"]);

        var query = Parse(request.QueryString);
        Assert.Equal(CommonParameters, query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("LTAI5tTestAccessKeyId", query["AccessKeyId"]);
        Assert.Equal("SendSms", query["Action"]);
        Assert.Equal("JSON", query["Format"]);
        Assert.Equal("cn-hangzhou", query["RegionId"]);
        Assert.Equal("HMAC-SHA1", query["SignatureMethod"]);
        Assert.Equal("1.0", query["SignatureVersion"]);
        Assert.Equal("2026-11-22T08:00:05Z", query["Timestamp"]);
        Assert.Equal("2017-05-25", query["Version"]);
        Assert.Matches("^[0-9a-f]{32}$", query["SignatureNonce"]);

        var form = Parse(request.Body);
        Assert.Equal(OperationParameters, form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("13812345678", form["PhoneNumbers"]);
        Assert.Equal("Verify验证", form["SignName"]);
        Assert.Equal("SMS_100000001", form["TemplateCode"]);
        Assert.Equal("0123456789abcdef", form["OutId"]);
        var templateParam = JsonDocument.Parse(form["TemplateParam"]).RootElement;
        Assert.Equal("123456", templateParam.GetProperty("code").GetString());
        Assert.Equal("5", templateParam.GetProperty("minutes").GetString());
        Assert.DoesNotContain("123456", request.QueryString, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", request.QueryString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Signature_MatchesOneComputedFromTheDocumentation()
    {
        await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        var query = Parse(request.QueryString);
        var all = query.Concat(Parse(request.Body)).Where(p => p.Key != "Signature").ToDictionary();
        Assert.Equal(DocumentedSignature("POST", all, Secret), query["Signature"]);
    }

    [Fact]
    public async Task SendAsync_TwoSends_UseDifferentNonces()
    {
        await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);
        await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var nonces = _server.Requests.Select(r => Parse(r.QueryString)["SignatureNonce"]).ToList();
        Assert.Equal(2, nonces.Distinct().Count());
    }

    [Fact]
    public async Task SendAsync_OutsideTheMainland_SendsCountryCodeAndNumberWithoutPlus()
    {
        await Sender(Options()).SendAsync(SmsMessages.Login(to: "+85261234567"), CancellationToken.None);

        Assert.Equal("85261234567", Parse(Assert.Single(_server.Requests).Body)["PhoneNumbers"]);
    }

    [Fact]
    public async Task SendAsync_ParameterMapping_SendsOnlyTheMappedParametersUnderTheirNames()
    {
        var options = Options();
        options.TemplateParameters["code"] = "code";
        options.TemplateParameters["minutes"] = "ttl";
        options.TemplateParameters["amount"] = "money";

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var templateParam = JsonSerializer.Deserialize<Dictionary<string, string>>(Parse(Assert.Single(_server.Requests).Body)["TemplateParam"]);
        Assert.Equal(new Dictionary<string, string> { ["code"] = "123456", ["ttl"] = "5" }, templateParam);
    }

    [Theory]
    [InlineData("login/zh-CN", "SMS_exact")]
    [InlineData("login/zh", "SMS_language")]
    [InlineData("login", "SMS_purpose")]
    public async Task SendAsync_TemplateLookup_FallsBackFromLocaleToLanguageToPurpose(string mappedKey, string code)
    {
        var options = Options();
        options.Templates.Clear();
        options.Templates[mappedKey] = code;
        var message = SmsMessages.Login() with { TemplateId = "login/zh-CN", Locale = "zh-CN" };

        await Sender(options).SendAsync(message, CancellationToken.None);

        Assert.Equal(code, Parse(Assert.Single(_server.Requests).Body)["TemplateCode"]);
    }

    [Fact]
    public async Task SendAsync_NoTemplate_FailsWithoutCallingAliyun()
    {
        var options = Options();
        options.Templates.Clear();
        options.Templates["payment"] = "SMS_2";

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("aliyun: no template for login/en", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    /// <summary>Documented SendSms error bodies; the signature mismatch quotes the server's string to sign, code and number included.</summary>
    [Theory]
    [InlineData(200, """{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发号码天级流控Permits:10","RequestId":"A9A6B6E4-43F5-59D4-8CC0-4C9D1E5B4A1B"}""", "aliyun isv.BUSINESS_LIMIT_CONTROL", false)]
    [InlineData(200, """{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号 13812345678","RequestId":"B3F0A4C2-6E8D-4C4B-9B1E-2D7A7C1E9F00"}""", "aliyun isv.MOBILE_NUMBER_ILLEGAL", false)]
    [InlineData(200, """{"Code":"isv.SMS_TEMPLATE_ILLEGAL","Message":"该账号下找不到对应模板","RequestId":"C1"}""", "aliyun isv.SMS_TEMPLATE_ILLEGAL", false)]
    [InlineData(400, """{"RequestId":"D2","HostId":"dysmsapi.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&...PhoneNumbers%3D13812345678...123456","Recommend":"https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch"}""", "aliyun SignatureDoesNotMatch", true)]
    [InlineData(404, """{"RequestId":"E3","HostId":"dysmsapi.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}""", "aliyun InvalidAccessKeyId.NotFound", true)]
    [InlineData(503, "<html>Service Unavailable</html>", "aliyun answered HTTP 503", true)]
    public async Task SendAsync_ErrorBody_FailsWithTheCodeAndNoSecretOrPersonalData(int status, string body, string expected, bool providerFault)
    {
        _server.Reply(status, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Equal(expected, result.Error);
        Assert.DoesNotContain("123456", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OkWithoutBizId_IsStillASend()
    {
        _server.Reply(200, """{"Code":"OK","Message":"OK","RequestId":"F1"}""");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_SettingsChange_NextSendUsesThem()
    {
        var options = Options();
        var sender = Sender(options);
        await sender.SendAsync(SmsMessages.Login(), CancellationToken.None);

        options.SignName = "新签名";
        await sender.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal(["Verify验证", "新签名"], _server.Requests.Select(r => Parse(r.Body)["SignName"]));
    }

    [Fact]
    public async Task SendAsync_NothingListening_FailsAsUnreachable()
    {
        var options = Options();
        await _server.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("aliyun unreachable", result.Error);
        Assert.True(result.ProviderFault);
        _server = await StubHttpServer.StartAsync();
    }

    [Fact]
    public async Task SendAsync_Cancelled_Throws()
    {
        _server.Delay = TimeSpan.FromSeconds(10);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(Options()).SendAsync(SmsMessages.Login(), timeout.Token));
    }

    /// <summary>Signature 1.0 as the documentation words it, written apart from the signer: RFC 3986 escaping, sorted pairs, HMAC-SHA1 with "&amp;" appended to the secret.</summary>
    private static string DocumentedSignature(string method, IReadOnlyDictionary<string, string> parameters, string secret)
    {
        var canonical = string.Join("&", parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var stringToSign = method + "&" + Uri.EscapeDataString("/") + "&" + Uri.EscapeDataString(canonical);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static Dictionary<string, string> Parse(string encoded) =>
        QueryHelpers.ParseQuery(encoded).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    private AliyunOptions Options() => new()
    {
        AccessKeyId = "LTAI5tTestAccessKeyId",
        AccessKeySecret = Secret,
        SignName = "Verify验证",
        BaseUrl = _server.BaseUrl,
        Templates = { ["login/en"] = "SMS_100000001", ["login"] = "SMS_100000002" },
    };

    private AliyunSmsSender Sender(AliyunOptions options) => new(
        ProviderContexts.For(options, AliyunProviderType.Name, name: "aliyun-cn"),
        _services.GetRequiredService<IHttpClientFactory>(),
        _clock,
        NullLogger<AliyunSmsSender>.Instance);
}
