using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers.Chuanglan;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Chuanglan;

/// <summary>The Chuanglan sender against a local server that checks the request as 253's /msg/send/json documents it.</summary>
public sealed class ChuanglanSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string Account = "N6000001";
    private const string Password = "api-password-123456";

    // The documented answer of /msg/send/json (创蓝253云通讯平台 短信验证码接口说明, 应答包体).
    private const string SuccessBody = """{"code":"0","msgId":"17041010383624511","errorMsg":"","time":"20170410103836"}""";

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
    public async Task SendAsync_Accepted_PostsTheDocumentedJsonAndReturnsMsgId()
    {
        _server.Reply(200, SuccessBody);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("17041010383624511", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/msg/send/json", request.Path);
        Assert.Empty(request.Query);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(new[] { "account", "password", "msg", "phone", "report", "uid" }, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Account, json.RootElement.GetProperty("account").GetString());
        Assert.Equal(Password, json.RootElement.GetProperty("password").GetString());
        Assert.Equal("【Verify】Verify: 123456 is your code", json.RootElement.GetProperty("msg").GetString());
        Assert.Equal("13812345678", json.RootElement.GetProperty("phone").GetString());
        Assert.Equal("true", json.RootElement.GetProperty("report").GetString());
        Assert.Equal("0123456789abcdef", json.RootElement.GetProperty("uid").GetString());
        Assert.Contains("【Verify】", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Verify: 123456 is your code", "Verify: 123456 is your code")]
    [InlineData("Verify", "【Brand】Your code is 123456", "【Brand】Your code is 123456")]
    [InlineData("验证", "您的验证码是123456", "【验证】您的验证码是123456")]
    public async Task SendAsync_Signature_IsPrependedOnlyWhenConfiguredAndMissing(string? signature, string text, string expected)
    {
        _server.Reply(200, SuccessBody);
        var options = Options();
        options.Signature = signature;

        await Sender(options).SendAsync(SmsMessages.Login() with { Text = text }, CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.Equal(expected, json.RootElement.GetProperty("msg").GetString());
    }

    [Theory]
    [InlineData("""{"code":"101","msgId":"","time":"20170410103836","errorMsg":"无此用户"}""", "chuanglan code 101", true)]
    [InlineData("""{"code":"102","msgId":"","time":"20170410103836","errorMsg":"密码错"}""", "chuanglan code 102", true)]
    [InlineData("""{"code":"107","msgId":"","time":"20170410103836","errorMsg":"错误的手机号码"}""", "chuanglan code 107", false)]
    [InlineData("""{"code":109,"msgId":"","time":"20170410103836","errorMsg":"无发送额度"}""", "chuanglan code 109", true)]
    public async Task SendAsync_DocumentedErrorCodes_FailNamingTheCodeOnly(string body, string expected, bool providerFault)
    {
        _server.Reply(200, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Equal(expected, result.Error);
        Assert.DoesNotContain(Password, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NotChuanglansJson_FailsWithTheHttpStatus()
    {
        _server.Reply(503, "Service Unavailable", "text/plain");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("chuanglan HTTP 503", result.Error);
        Assert.True(result.ProviderFault);
    }

    [Theory]
    [InlineData("""{"code":"0","msgId":"","errorMsg":"","time":"20170410103836"}""")]
    [InlineData("""{"code":0,"errorMsg":"","time":"20170410103836"}""")]
    public async Task SendAsync_SuccessWithoutAMessageId_IsASendWithoutAnId(string body)
    {
        // The provider took the message: failing over would text the user a second time.
        _server.Reply(200, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_NumberOutsideMainlandChina_FailsWithoutCallingChuanglan()
    {
        var sender = Sender(Options());

        var result = await sender.SendAsync(SmsMessages.Login(to: "+447400900123"), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.ProviderFault);
        Assert.Empty(_server.Requests);
        Assert.False(((ISmsSender)sender).CanServe("login", "GB", DeliveryChannel.Sms));
        Assert.True(((ISmsSender)sender).CanServe("login", "CN", DeliveryChannel.Sms));
        Assert.False(((ISmsSender)sender).CanServe("login", "CN", DeliveryChannel.Voice));
    }

    [Fact]
    public async Task SendAsync_NothingListening_FailsAsUnreachable()
    {
        var options = Options();
        options.BaseUrl = _server.BaseUrl;
        await _server.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("chuanglan unreachable", result.Error);
        Assert.True(result.ProviderFault);
        _server = await StubHttpServer.StartAsync();
    }

    private ChuanglanOptions Options() => new()
    {
        BaseUrl = _server.BaseUrl,
        Account = Account,
        Password = Password,
        Signature = "Verify",
    };

    private ChuanglanSmsSender Sender(ChuanglanOptions options) => new(
        ProviderContexts.For(options, ChuanglanProviderType.Name, "chuanglan"),
        _services.GetRequiredService<IHttpClientFactory>(),
        NullLogger<ChuanglanSmsSender>.Instance);
}
