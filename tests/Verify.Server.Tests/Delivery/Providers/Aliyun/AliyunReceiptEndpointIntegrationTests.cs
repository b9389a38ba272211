using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Aliyun;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Aliyun;

/// <summary>The Aliyun receipt endpoint hosted on a local server, fed SmsReport pushes as documented.</summary>
public sealed class AliyunReceiptEndpointIntegrationTests : IAsyncLifetime
{
    private const string Token = "receipt-token-0123456789abcdef";

    /// <summary>The documented push (HTTP批量推送模式), with a second, failed report.</summary>
    private const string Push = """
        [
          {
            "phone_number" : "1381111****",
            "send_time" : "2017-01-01 00:00:00",
            "report_time" : "2017-01-01 00:00:00",
            "success" : true,
            "err_code" : "DELIVERED",
            "err_msg" : "用户接收成功",
            "sms_size" : "1",
            "biz_id" : "12345********",
            "out_id" : "67890**"
          },
          {
            "phone_number" : "1381111****",
            "send_time" : "2017-01-01 00:00:00",
            "report_time" : "2017-01-01 00:00:09",
            "success" : false,
            "err_code" : "MK:0001",
            "err_msg" : "号码停机",
            "sms_size" : "1",
            "biz_id" : "900619746936498^0",
            "out_id" : "0123456789abcdef"
          }
        ]
        """;

    private readonly CapturingReceiptSink _sink = new();
    private readonly AliyunOptions _options = new() { ReceiptToken = Token };
    private StubHttpServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var endpoint = new AliyunReceiptEndpoint(
            ProviderContexts.For(_options, AliyunProviderType.Name, name: "aliyun-cn", receipts: _sink),
            NullLogger<AliyunReceiptEndpoint>.Instance);
        _server = await StubHttpServer.StartAsync(endpoint.HandleAsync);
        _client = new HttpClient { BaseAddress = _server.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task HandleAsync_RightToken_AppliesEachReportAndAnswersAsDocumented()
    {
        using var response = await PostAsync(Push, $"?token={Token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, answer.GetProperty("code").GetInt32());
        Assert.Equal("接收成功", answer.GetProperty("msg").GetString());

        var receipts = _sink.Receipts.ToArray();
        Assert.Equal(2, receipts.Length);
        Assert.Equal(new DeliveryReceipt("aliyun-cn", "12345********", DeliveryState.Delivered) { ProviderStatus = "DELIVERED", At = new DateTimeOffset(2016, 12, 31, 16, 0, 0, TimeSpan.Zero) }, receipts[0]);
        Assert.Equal(new DeliveryReceipt("aliyun-cn", "900619746936498^0", DeliveryState.Undelivered) { ProviderStatus = "MK:0001", At = new DateTimeOffset(2016, 12, 31, 16, 0, 9, TimeSpan.Zero) }, receipts[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    [InlineData("?token=receipt-token-0123456789abcdeX")]
    [InlineData("?token=receipt-token-0123456789abcdef0")]
    [InlineData("?tok=receipt-token-0123456789abcdef")]
    public async Task HandleAsync_WrongOrMissingToken_403AndNothingApplied(string query)
    {
        using var response = await PostAsync(Push, query);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_NoTokenConfigured_RefusesEveryPush()
    {
        _options.ReceiptToken = null;

        using var response = await PostAsync(Push, "?token=");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"biz_id\":\"1\",\"success\":true}")]
    [InlineData("null")]
    [InlineData("[null]")]
    [InlineData("[1, 2]")]
    [InlineData("[{\"biz_id\":\"1\",\"success\":\"yes\"}]")]
    [InlineData("[{\"biz_id\":\"1\",\"success\":true},")]
    public async Task HandleAsync_MalformedBody_400AndNothingApplied(string body)
    {
        using var response = await PostAsync(body, $"?token={Token}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_ReportWithoutBizIdOrSuccess_IsSkippedAndTheRestApplied()
    {
        const string body = """[{"success":true,"err_code":"DELIVERED"},{"biz_id":"2","err_code":"DELIVERED"},{"biz_id":"3","success":true,"err_code":"DELIVERED"}]""";

        using var response = await PostAsync(body, $"?token={Token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3", Assert.Single(_sink.Receipts).ProviderMessageId);
    }

    [Fact]
    public async Task HandleAsync_Get_405()
    {
        using var response = await _client.GetAsync($"delivery/receipts/aliyun-cn?token={Token}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task HandleAsync_SinkFails_500SoAliyunPushesAgain()
    {
        await using var failing = await StubHttpServer.StartAsync(new AliyunReceiptEndpoint(
            ProviderContexts.For(_options, AliyunProviderType.Name, receipts: new ThrowingReceiptSink()),
            NullLogger<AliyunReceiptEndpoint>.Instance).HandleAsync);
        using var client = new HttpClient { BaseAddress = failing.BaseUrl };

        using var response = await client.PostAsync($"delivery/receipts/aliyun-cn?token={Token}", new StringContent(Push, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string body, string query) =>
        _client.PostAsync("delivery/receipts/aliyun-cn" + query, new StringContent(body, Encoding.UTF8, "application/json"));
}
