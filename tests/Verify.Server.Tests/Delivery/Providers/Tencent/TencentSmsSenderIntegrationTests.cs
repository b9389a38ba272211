using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers.Tencent;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Tencent;

/// <summary>The Tencent sender against a local server that checks the request as SMS API 3.0 SendSms documents it.</summary>
public sealed partial class TencentSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string SecretId = "AKIDtestSecretId0123456789";
    private const string SecretKey = "test-secret-key-0123456789";

    /// <summary>The documented success body of SendSms (2021-01-11).</summary>
    private const string Accepted = """
        {"Response":{"SendStatusSet":[{"SerialNo":"5000:1045710669157053657849499619","PhoneNumber":"+8613812345678","Fee":1,"SessionContext":"0123456789abcdef","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6-cf91-4f3e-a81f-9198114a2279"}}
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 5, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
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
    public async Task SendAsync_Accepted_PostsTheDocumentedRequestAndReturnsTheSerialNo()
    {
        var result = await Sender(Options()).SendAsync(SmsMessages.Login(sendId: "0123456789abcdef"), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("5000:1045710669157053657849499619", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal(string.Empty, request.QueryString);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(_server.BaseUrl.Authority, request.Headers["Host"]);
        Assert.Equal("SendSms", request.Headers["X-TC-Action"]);
        Assert.Equal("2021-01-11", request.Headers["X-TC-Version"]);
        Assert.Equal("ap-guangzhou", request.Headers["X-TC-Region"]);
        Assert.Equal("1795334405", request.Headers["X-TC-Timestamp"]);

        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(["PhoneNumberSet", "SessionContext", "SignName", "SmsSdkAppId", "TemplateId", "TemplateParamSet"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["+8613812345678"], body.GetProperty("PhoneNumberSet").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("1400006666", body.GetProperty("SmsSdkAppId").GetString());
        Assert.Equal("Verify验证", body.GetProperty("SignName").GetString());
        Assert.Equal("1110", body.GetProperty("TemplateId").GetString());
        Assert.Equal(["123456", "5"], body.GetProperty("TemplateParamSet").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("0123456789abcdef", body.GetProperty("SessionContext").GetString());
    }

    [Fact]
    public async Task SendAsync_Authorization_MatchesOneComputedFromTheDocumentation()
    {
        await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        var authorization = AuthorizationPattern().Match(request.Headers["Authorization"]);
        Assert.True(authorization.Success, request.Headers["Authorization"]);
        Assert.Equal(SecretId, authorization.Groups["id"].Value);
        Assert.Equal("2026-11-22/sms/tc3_request", authorization.Groups["scope"].Value);
        Assert.Equal("content-type;host;x-tc-action", authorization.Groups["headers"].Value);
        Assert.Equal(DocumentedSignature(request, "2026-11-22", "sms"), authorization.Groups["signature"].Value);
    }

    [Fact]
    public async Task SendAsync_OutsideTheMainland_SendsE164AndTheSenderId()
    {
        var options = Options();
        options.SenderId = "VERIFY";

        await Sender(options).SendAsync(SmsMessages.Login(to: "+85261234567"), CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement;
        Assert.Equal("+85261234567", body.GetProperty("PhoneNumberSet")[0].GetString());
        Assert.Equal("VERIFY", body.GetProperty("SenderId").GetString());
    }

    [Fact]
    public async Task SendAsync_MainlandWithSenderId_LeavesSenderIdOut()
    {
        var options = Options();
        options.SenderId = "VERIFY";

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement.TryGetProperty("SenderId", out _));
    }

    [Fact]
    public async Task SendAsync_NoSignNameMainland_FailsWithoutCallingTencent()
    {
        var options = Options();
        options.SignName = null;

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("tencent: SignName is required for Chinese mainland numbers", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_NoSignNameAbroad_SendsWithoutOne()
    {
        var options = Options();
        options.SignName = null;

        var result = await Sender(options).SendAsync(SmsMessages.Login(to: "+85261234567"), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.False(JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement.TryGetProperty("SignName", out _));
    }

    [Fact]
    public async Task SendAsync_ParameterOrder_FollowsTemplateParameters()
    {
        var options = Options();
        options.TemplateParameters = ["minutes", "code"];

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var set = JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement.GetProperty("TemplateParamSet");
        Assert.Equal(["5", "123456"], set.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task SendAsync_ListedParameterMissing_FailsWithoutCallingTencent()
    {
        var options = Options();
        options.TemplateParameters = ["code", "amount"];

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("tencent: login/en has no parameter amount", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("login/zh-CN", "2001")]
    [InlineData("login/zh", "2002")]
    [InlineData("login", "2003")]
    public async Task SendAsync_TemplateLookup_FallsBackFromLocaleToLanguageToPurpose(string mappedKey, string id)
    {
        var options = Options();
        options.Templates.Clear();
        options.Templates[mappedKey] = id;
        var message = SmsMessages.Login() with { TemplateId = "login/zh-CN", Locale = "zh-CN" };

        await Sender(options).SendAsync(message, CancellationToken.None);

        Assert.Equal(id, JsonDocument.Parse(Assert.Single(_server.Requests).Body).RootElement.GetProperty("TemplateId").GetString());
    }

    [Fact]
    public async Task SendAsync_NoTemplate_FailsWithoutCallingTencent()
    {
        var options = Options();
        options.Templates.Clear();
        options.Templates["payment"] = "9";

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("tencent: no template for login/en", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    /// <summary>Documented error shapes: a call-level Error, and a per-number Code other than "Ok".</summary>
    [Theory]
    [InlineData(200, """{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated. Please check your signature is correct."},"RequestId":"ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}}""", "tencent AuthFailure.SignatureFailure", true)]
    [InlineData(200, """{"Response":{"Error":{"Code":"FailedOperation.TemplateParamSetNotMatchApprovedTemplate","Message":"request content does not match template content 123456"},"RequestId":"1"}}""", "tencent FailedOperation.TemplateParamSetNotMatchApprovedTemplate", false)]
    [InlineData(200, """{"Response":{"SendStatusSet":[{"SerialNo":"","PhoneNumber":"+8613812345678","Fee":0,"SessionContext":"","Code":"LimitExceeded.PhoneNumberDailyLimit","Message":"the number of sms messages sent from a single mobile number every day exceeds the upper limit","IsoCode":"CN"}],"RequestId":"2"}}""", "tencent LimitExceeded.PhoneNumberDailyLimit", false)]
    [InlineData(200, """{"Response":{"SendStatusSet":[{"SerialNo":"","PhoneNumber":"+8613812345678","Fee":0,"SessionContext":"","Code":"InvalidParameterValue.IncorrectPhoneNumber","Message":"incorrect number +8613812345678","IsoCode":"CN"}],"RequestId":"3"}}""", "tencent InvalidParameterValue.IncorrectPhoneNumber", false)]
    [InlineData(200, """{"Response":{"SendStatusSet":[],"RequestId":"4"}}""", "tencent answered HTTP 200 without a send status", true)]
    [InlineData(502, "<html>Bad Gateway</html>", "tencent answered HTTP 502 without a send status", true)]
    public async Task SendAsync_ErrorBody_FailsWithTheCodeAndNoSecretOrPersonalData(int status, string body, string expected, bool providerFault)
    {
        _server.Reply(status, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Equal(expected, result.Error);
        Assert.DoesNotContain("123456", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("13812345678", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OkWithoutSerialNo_IsStillASend()
    {
        _server.Reply(200, """{"Response":{"SendStatusSet":[{"SerialNo":"","Code":"Ok","Message":"send success"}],"RequestId":"5"}}""");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal(string.Empty, result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_SettingsChange_NextSendUsesThem()
    {
        var options = Options();
        var sender = Sender(options);
        await sender.SendAsync(SmsMessages.Login(), CancellationToken.None);

        options.Region = "ap-beijing";
        await sender.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal(["ap-guangzhou", "ap-beijing"], _server.Requests.Select(r => r.Headers["X-TC-Region"]));
    }

    [Fact]
    public async Task SendAsync_NothingListening_FailsAsUnreachable()
    {
        var options = Options();
        await _server.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("tencent unreachable", result.Error);
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

    /// <summary>
    /// Signature v3 as the documentation words it, from the request as received (written apart from the
    /// signer): the three signed headers lower-cased in name order, hex SHA-256 of the body, the string to
    /// sign, and the HMAC chain "TC3"+key → date → service → "tc3_request".
    /// </summary>
    private static string DocumentedSignature(StubRequest request, string date, string service)
    {
        static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        var canonicalRequest = "POST\n/\n\n"
            + "content-type:" + request.Headers["Content-Type"].ToLowerInvariant() + "\n"
            + "host:" + request.Headers["Host"].ToLowerInvariant() + "\n"
            + "x-tc-action:" + request.Headers["X-TC-Action"].ToLowerInvariant() + "\n"
            + "\n"
            + "content-type;host;x-tc-action\n"
            + Hex(SHA256.HashData(request.BodyBytes));
        var stringToSign = "TC3-HMAC-SHA256\n" + request.Headers["X-TC-Timestamp"] + "\n" + date + "/" + service + "/tc3_request\n"
            + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + SecretKey), date), service), "tc3_request");
        return Hex(Hmac(key, stringToSign));
    }

    [GeneratedRegex("^TC3-HMAC-SHA256 Credential=(?<id>[^/]+)/(?<scope>[^,]+), SignedHeaders=(?<headers>[^,]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    private TencentOptions Options() => new()
    {
        SecretId = SecretId,
        SecretKey = SecretKey,
        SmsSdkAppId = "1400006666",
        SignName = "Verify验证",
        BaseUrl = _server.BaseUrl,
        Templates = { ["login/en"] = "1110", ["login"] = "1111" },
    };

    private TencentSmsSender Sender(TencentOptions options) => new(
        ProviderContexts.For(options, TencentProviderType.Name, name: "tencent-cn"),
        _services.GetRequiredService<IHttpClientFactory>(),
        _clock,
        NullLogger<TencentSmsSender>.Instance);
}
