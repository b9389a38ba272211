using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers.Huawei;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Huawei;

/// <summary>The Huawei sender against a local server that checks the request as Huawei's batchSendSms v1 documents it.</summary>
public sealed partial class HuaweiSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string AppKey = "c8RWg3ggEcyd4D3p94bf3Y7x1Ile";
    private const string AppSecret = "q4Ii87BhST9vcs8wvrzN80SfD7Al";
    private const string ReceiptToken = "receipt-token-0123456789";

    // Huawei's documented success answer (API reference, batchSendSms v1, response example).
    private const string SuccessBody = """{"result":[{"originTo":"+8613812345678","createTime":"2018-05-25T16:34:34Z","from":"1069123451234","smsMsgId":"d6e3cdd0-522b-4692-8304-a07553cdf591_8539659","status":"000000"}],"code":"000000","description":"Success"}""";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private StubHttpServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await StubHttpServer.StartAsync();
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_Accepted_PostsTheDocumentedFormWithWsseAuthentication()
    {
        _server.Reply(200, SuccessBody);

        var result = await Sender(Options(), new Uri("https://verify.example.com/delivery/receipts/huawei-cn")).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("d6e3cdd0-522b-4692-8304-a07553cdf591_8539659", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/sms/batchSendSms/v1", request.Path);
        Assert.Empty(request.Query);
        Assert.Equal("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("WSSE realm=\"SDP\",profile=\"UsernameToken\",type=\"Appkey\"", request.Headers["Authorization"]);

        var wsse = WsseHeader().Match(request.Headers["X-WSSE"]);
        Assert.True(wsse.Success, request.Headers["X-WSSE"]);
        Assert.Equal(AppKey, wsse.Groups["user"].Value);
        Assert.Equal("2026-11-22T08:00:00Z", wsse.Groups["created"].Value);
        var expectedDigest = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(wsse.Groups["nonce"].Value + "2026-11-22T08:00:00Z" + AppSecret)));
        Assert.Equal(expectedDigest, wsse.Groups["digest"].Value);
        Assert.DoesNotContain(AppSecret, request.Body + string.Join(' ', request.Headers.Values), StringComparison.Ordinal);

        var form = request.Form;
        Assert.Equal(new[] { "from", "to", "templateId", "templateParas", "statusCallback", "signature" }, form.Keys);
        Assert.Equal("8824110605123", form["from"]);
        Assert.Equal("+8613812345678", form["to"]);
        Assert.Equal("hw-login-en", form["templateId"]);
        Assert.Equal("[\"123456\",\"5\"]", form["templateParas"]);
        Assert.Equal($"https://verify.example.com/delivery/receipts/huawei-cn?token={ReceiptToken}", form["statusCallback"]);
        Assert.Equal("Verify", form["signature"]);
    }

    [Fact]
    public async Task SendAsync_NoReceiptUrlOrToken_SendsNoStatusCallback()
    {
        _server.Reply(200, SuccessBody);
        var options = Options();
        options.Signature = null;

        await Sender(options, receiptUrl: null).SendAsync(SmsMessages.Login(), CancellationToken.None);
        options.ReceiptToken = null;
        await Sender(options, new Uri("https://verify.example.com/delivery/receipts/huawei-cn")).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
        Assert.All(_server.Requests, r => Assert.Equal(new[] { "from", "to", "templateId", "templateParas" }, r.Form.Keys));
    }

    [Fact]
    public async Task SendAsync_OnlyAPurposeMapping_UsesItForEveryLocale()
    {
        _server.Reply(200, SuccessBody);
        var options = Options();
        options.Templates = new(StringComparer.OrdinalIgnoreCase) { ["login"] = "hw-login-any" };

        var result = await Sender(options).SendAsync(SmsMessages.Login() with { TemplateId = "login/zh-CN", Locale = "zh-CN" }, CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("hw-login-any", Assert.Single(_server.Requests).Form["templateId"]);
    }

    [Fact]
    public async Task SendAsync_NoTemplateForTheMessage_FailsWithoutCallingHuawei()
    {
        var options = Options();
        options.Templates = new(StringComparer.OrdinalIgnoreCase) { ["payment/en"] = "hw-pay" };

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("huawei: no template for login/en", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_TemplateParameterTheMessageLacks_FailsWithoutCallingHuawei()
    {
        var options = Options();
        options.TemplateParameters = ["code", "payee"];

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("huawei: the message has no payee for the template", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData(401, """{"code":"E000101","description":"Authentication failed."}""", "huawei E000101", true)]
    [InlineData(400, """{"code":"E000503","description":"Parameter error."}""", "huawei E000503", false)]
    [InlineData(403, """{"code":"E000110","description":"Time exceeding the limit."}""", "huawei E000110", true)]
    [InlineData(200, """{"result":[{"originTo":"+8613812345678","createTime":"2018-05-25T16:34:34Z","from":"1069123451234","smsMsgId":"d6e3cdd0-522b-4692-8304-a07553cdf591_8539660","status":"E200015"}],"code":"E000510","description":"The SMS fails to be sent. For details, see status."}""", "huawei E000510", true)]
    public async Task SendAsync_DocumentedErrorCodes_FailNamingTheCodeOnly(int status, string body, string expected, bool providerFault)
    {
        _server.Reply(status, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task SendAsync_SuccessCodeButTheNumberRefused_FailsNamingTheNumbersStatus()
    {
        _server.Reply(200, SuccessBody.Replace("\"status\":\"000000\"", "\"status\":\"E200028\"", StringComparison.Ordinal));

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("huawei E200028", result.Error);
        Assert.False(result.ProviderFault);
    }

    [Theory]
    [InlineData("""{"result":[{"originTo":"+8613812345678","status":"000000"}],"code":"000000","description":"Success"}""")]
    [InlineData("""{"result":[],"code":"000000","description":"Success"}""")]
    public async Task SendAsync_SuccessWithoutAMessageId_IsASendWithoutAnId(string body)
    {
        // The provider took the message: failing over would text the user a second time.
        _server.Reply(200, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_NotHuaweisJson_FailsWithTheHttpStatus()
    {
        _server.Reply(502, "<html>Bad gateway</html>", "text/html");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("huawei HTTP 502", result.Error);
        Assert.True(result.ProviderFault);
    }

    [Fact]
    public async Task SendAsync_NothingListening_FailsAsUnreachable()
    {
        var options = Options();
        var url = _server.BaseUrl;
        await _server.DisposeAsync();
        options.BaseUrl = url;

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("huawei unreachable", result.Error);
        Assert.True(result.ProviderFault);
        _server = await StubHttpServer.StartAsync();
    }

    private HuaweiOptions Options() => new()
    {
        BaseUrl = _server.BaseUrl,
        AppKey = AppKey,
        AppSecret = AppSecret,
        Sender = "8824110605123",
        Signature = "Verify",
        Templates = new(StringComparer.OrdinalIgnoreCase) { ["login/en"] = "hw-login-en", ["login"] = "hw-login-any" },
        TemplateParameters = ["code", "minutes"],
        ReceiptToken = ReceiptToken,
    };

    private HuaweiSmsSender Sender(HuaweiOptions options, Uri? receiptUrl = null) => new(
        ProviderContexts.For(options, HuaweiProviderType.Name, "huawei-cn", receiptUrl),
        _services.GetRequiredService<IHttpClientFactory>(),
        _clock,
        NullLogger<HuaweiSmsSender>.Instance);

    [GeneratedRegex("^UsernameToken Username=\"(?<user>[^\"]+)\",PasswordDigest=\"(?<digest>[^\"]+)\",Nonce=\"(?<nonce>[0-9A-Za-z]{1,128})\",Created=\"(?<created>[^\"]+)\"$")]
    private static partial Regex WsseHeader();
}
