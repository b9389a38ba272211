using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Tencent;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Tencent;

/// <summary>The Tencent receipt endpoint hosted on a local server, fed status callbacks as documented.</summary>
public sealed class TencentReceiptEndpointIntegrationTests : IAsyncLifetime
{
    private const string Token = "tencent-receipt-token-0123456789";

    /// <summary>The documented callback (短信下发状态回调), with a second, failed report.</summary>
    private const string Callback = """
        [
          {
            "user_receive_time": "2015-10-17 08:03:04",
            "nationcode": "86",
            "mobile": "13xxxxxxxxx",
            "report_status": "SUCCESS",
            "errmsg": "DELIVRD",
            "description": "用户短信送达成功",
            "sid": "xxxxxxx"
          },
          {
            "user_receive_time": "2015-10-17 08:03:09",
            "nationcode": "86",
            "mobile": "13xxxxxxxxx",
            "report_status": "FAIL",
            "errmsg": "MK:0001",
            "description": "空号",
            "sid": "5000:1045710669157053657849499619"
          }
        ]
        """;

    private readonly CapturingReceiptSink _sink = new();
    private readonly TencentOptions _options = new() { ReceiptToken = Token };
    private StubHttpServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var endpoint = new TencentReceiptEndpoint(
            ProviderContexts.For(_options, TencentProviderType.Name, name: "tencent-cn", receipts: _sink),
            NullLogger<TencentReceiptEndpoint>.Instance);
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
        using var response = await PostAsync(Callback, $"?token={Token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, answer.GetProperty("result").GetInt32());
        Assert.Equal("OK", answer.GetProperty("errmsg").GetString());

        var receipts = _sink.Receipts.ToArray();
        Assert.Equal(2, receipts.Length);
        Assert.Equal(new DeliveryReceipt("tencent-cn", "xxxxxxx", DeliveryState.Delivered) { ProviderStatus = "DELIVRD", At = new DateTimeOffset(2015, 10, 17, 0, 3, 4, TimeSpan.Zero) }, receipts[0]);
        Assert.Equal(new DeliveryReceipt("tencent-cn", "5000:1045710669157053657849499619", DeliveryState.Undelivered) { ProviderStatus = "MK:0001", At = new DateTimeOffset(2015, 10, 17, 0, 3, 9, TimeSpan.Zero) }, receipts[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    [InlineData("?token=tencent-receipt-token-012345678X")]
    [InlineData("?token=tencent-receipt-token-0123456789-")]
    [InlineData("?Token2=tencent-receipt-token-0123456789")]
    public async Task HandleAsync_WrongOrMissingToken_403AndNothingApplied(string query)
    {
        using var response = await PostAsync(Callback, query);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_NoTokenConfigured_RefusesEveryCallback()
    {
        _options.ReceiptToken = null;

        using var response = await PostAsync(Callback, "?token=");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"sid\":\"1\",\"report_status\":\"SUCCESS\"}")]
    [InlineData("null")]
    [InlineData("[null]")]
    [InlineData("[\"sid\"]")]
    [InlineData("[{\"sid\":1,\"report_status\":\"SUCCESS\"}]")]
    [InlineData("[{\"sid\":\"1\",\"report_status\":\"SUCCESS\"}")]
    public async Task HandleAsync_MalformedBody_400AndNothingApplied(string body)
    {
        using var response = await PostAsync(body, $"?token={Token}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_ReportWithoutSidOrWithAnUnknownStatus_IsSkippedAndTheRestApplied()
    {
        const string body = """[{"report_status":"SUCCESS","errmsg":"DELIVRD"},{"sid":"2","report_status":"PENDING"},{"sid":"3","report_status":"FAIL","errmsg":"UNDELIV"}]""";

        using var response = await PostAsync(body, $"?token={Token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(("3", DeliveryState.Undelivered, "UNDELIV"), (receipt.ProviderMessageId, receipt.State, receipt.ProviderStatus));
        Assert.Null(receipt.At);
    }

    [Fact]
    public async Task HandleAsync_Get_405()
    {
        using var response = await _client.GetAsync($"delivery/receipts/tencent-cn?token={Token}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task HandleAsync_SinkFails_500SoTencentSendsAgain()
    {
        await using var failing = await StubHttpServer.StartAsync(new TencentReceiptEndpoint(
            ProviderContexts.For(_options, TencentProviderType.Name, receipts: new ThrowingReceiptSink()),
            NullLogger<TencentReceiptEndpoint>.Instance).HandleAsync);
        using var client = new HttpClient { BaseAddress = failing.BaseUrl };

        using var response = await client.PostAsync($"delivery/receipts/tencent-cn?token={Token}", new StringContent(Callback, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string body, string query) =>
        _client.PostAsync("delivery/receipts/tencent-cn" + query, new StringContent(body, Encoding.UTF8, "application/json"));
}
