using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers.Ronglian;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Ronglian;

/// <summary>The Ronglian sender against a local server that checks the request as the TemplateSMS API documents it.</summary>
public sealed class RonglianSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string AccountSid = "8aaf07086904be0b0169bb7c8b4f1234";
    private const string AuthToken = "e4c1c93a5e7744df9c6b0fa7f9e2a7d1";
    private const string AppId = "8aaf07086904be0b0169bb7c8b4f5678";

    // The documented success answer of 发送模板短信 (JSON响应示例).
    private const string SuccessBody = """{"statusCode":"000000","templateSMS":{"dateCreated":"20130201155306","smsMessageSid":"ff8080813c373cab013c94b0f0512345"}}""";

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
    public async Task SendAsync_Accepted_PostsTheDocumentedRequestAndReturnsSmsMessageSid()
    {
        _server.Reply(200, SuccessBody);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("ff8080813c373cab013c94b0f0512345", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2013-12-26/Accounts/{AccountSid}/SMS/TemplateSMS", request.Path);

        // 08:00 UTC is 16:00 in Beijing, the zone Ronglian's timestamps are in.
        const string timestamp = "20261122160000";
        var sig = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(AccountSid + AuthToken + timestamp)));
        Assert.Equal(new Dictionary<string, string> { ["sig"] = sig }, request.Query);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(AccountSid + ":" + timestamp)), request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);

        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(new[] { "to", "appId", "templateId", "datas", "reqId" }, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("13812345678", json.RootElement.GetProperty("to").GetString());
        Assert.Equal(AppId, json.RootElement.GetProperty("appId").GetString());
        Assert.Equal("1", json.RootElement.GetProperty("templateId").GetString());
        Assert.Equal(new[] { "123456", "5" }, json.RootElement.GetProperty("datas").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("0123456789abcdef", json.RootElement.GetProperty("reqId").GetString());
        Assert.DoesNotContain(AuthToken, request.Body + string.Join(' ', request.Headers.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OnlyAPurposeMapping_UsesItForEveryLocale()
    {
        _server.Reply(200, SuccessBody);
        var options = Options();
        options.Templates = new(StringComparer.OrdinalIgnoreCase) { ["login"] = "88" };

        await Sender(options).SendAsync(SmsMessages.Login() with { TemplateId = "login/zh-CN" }, CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal("88", json.RootElement.GetProperty("templateId").GetString());
    }

    [Fact]
    public async Task SendAsync_NoTemplateForTheMessage_FailsWithoutCallingRonglian()
    {
        var options = Options();
        options.Templates = new(StringComparer.OrdinalIgnoreCase) { ["payment"] = "2" };

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("ronglian: no template for login/en", result.Error);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("""{"statusCode":"160038","statusMsg":"短信验证码发送过频繁"}""", "ronglian 160038", false)]
    [InlineData("""{"statusCode":"111109","statusMsg":"[账号]请求地址Sig校验失败"}""", "ronglian 111109", true)]
    [InlineData("""{"statusCode":"160032","statusMsg":"短信模板无效"}""", "ronglian 160032", false)]
    public async Task SendAsync_DocumentedErrorCodes_FailNamingTheCodeOnly(string body, string expected, bool providerFault)
    {
        _server.Reply(200, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public async Task SendAsync_NotRongliansJson_FailsWithTheHttpStatus()
    {
        _server.Reply(500, "<html>Internal Server Error</html>", "text/html");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("ronglian HTTP 500", result.Error);
        Assert.True(result.ProviderFault);
    }

    [Theory]
    [InlineData("""{"statusCode":"000000","templateSMS":{"dateCreated":"20130201155306"}}""")]
    [InlineData("""{"statusCode":"000000"}""")]
    public async Task SendAsync_SuccessWithoutAMessageId_IsASendWithoutAnId(string body)
    {
        // The provider took the message: failing over would text the user a second time.
        _server.Reply(200, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_NumberOutsideMainlandChina_FailsWithoutCallingRonglian()
    {
        var sender = Sender(Options());

        var result = await sender.SendAsync(SmsMessages.Login(to: "+447400900123"), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
        Assert.False(((ISmsSender)sender).CanServe("login", "GB", DeliveryChannel.Sms));
        Assert.True(((ISmsSender)sender).CanServe("login", "CN", DeliveryChannel.Sms));
    }

    [Fact]
    public async Task SendAsync_NothingListening_FailsAsUnreachable()
    {
        var options = Options();
        await _server.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("ronglian unreachable", result.Error);
        Assert.True(result.ProviderFault);
        _server = await StubHttpServer.StartAsync();
    }

    private RonglianOptions Options() => new()
    {
        BaseUrl = _server.BaseUrl,
        AccountSid = AccountSid,
        AuthToken = AuthToken,
        AppId = AppId,
        Templates = new(StringComparer.OrdinalIgnoreCase) { ["login/en"] = "1" },
        TemplateParameters = ["code", "minutes"],
    };

    private RonglianSmsSender Sender(RonglianOptions options) => new(
        ProviderContexts.For(options, RonglianProviderType.Name, "ronglian"),
        _services.GetRequiredService<IHttpClientFactory>(),
        _clock,
        NullLogger<RonglianSmsSender>.Instance);
}
