using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers.Huawei;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Huawei;

/// <summary>Huawei's status reports (a form POST to our statusCallback, which carries the receipt token).</summary>
public sealed class HuaweiReceiptEndpointTests
{
    private const string Token = "receipt-token-0123456789";

    // Shaped like the sample report in Huawei's "接收状态报告" code examples (urlencoded form).
    private const string DeliveredReport = "sequence=1&total=1&updateTime=2018-10-31T08%3A43%3A41Z&source=2&smsMsgId=2ea20735-f856-4376-afbf-570bd70a46ee_11840135&status=DELIVRD";

    private readonly CapturingReceiptSink _sink = new();

    [Fact]
    public async Task HandleAsync_DeliveredReportWithToken_ReachesTheSinkAndAnswersAnEmpty200()
    {
        var http = ReceiptHttpContexts.Create("POST", $"?token={Token}", "application/x-www-form-urlencoded", DeliveredReport);

        await Endpoint(Token).HandleAsync(http);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal(string.Empty, ReceiptHttpContexts.ResponseText(http));
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal("huawei-cn", receipt.Provider);
        Assert.Equal("2ea20735-f856-4376-afbf-570bd70a46ee_11840135", receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal("DELIVRD", receipt.ProviderStatus);
        Assert.Equal(new DateTimeOffset(2018, 10, 31, 8, 43, 41, TimeSpan.Zero), receipt.At);
    }

    [Theory]
    [InlineData("UNDELIV")]
    [InlineData("EXPIRED")]
    [InlineData("REJECTD")]
    [InlineData("MK:0001")]
    [InlineData("E200027")]
    public async Task HandleAsync_AnyOtherStatus_IsUndelivered(string status)
    {
        var http = ReceiptHttpContexts.Create("POST", $"?token={Token}", "application/x-www-form-urlencoded", $"smsMsgId=id-1&total=1&sequence=1&status={Uri.EscapeDataString(status)}&source=2");

        await Endpoint(Token).HandleAsync(http);

        Assert.Equal(200, http.Response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
        Assert.Equal(status, receipt.ProviderStatus);
        Assert.Null(receipt.At);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    [InlineData("?token=receipt-token-0123456780")]
    [InlineData("?token=receipt-token-0123456789x")]
    [InlineData("?other=receipt-token-0123456789")]
    public async Task HandleAsync_MissingOrForgedToken_Is401AndChangesNothing(string query)
    {
        var http = ReceiptHttpContexts.Create("POST", query, "application/x-www-form-urlencoded", DeliveredReport);

        await Endpoint(Token).HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_NoTokenConfigured_RefusesEvenATokenlessReport()
    {
        var http = ReceiptHttpContexts.Create("POST", "?token=", "application/x-www-form-urlencoded", DeliveredReport);

        await Endpoint(token: null).HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "total=1&status=DELIVRD")]
    [InlineData("application/x-www-form-urlencoded", "smsMsgId=id-1&total=1")]
    [InlineData("application/x-www-form-urlencoded", "smsMsgId=id%0A1&status=DELIVRD")]
    [InlineData("application/json", """{"smsMsgId":"id-1","status":"DELIVRD"}""")]
    public async Task HandleAsync_MalformedReport_Is400AndChangesNothing(string contentType, string body)
    {
        var http = ReceiptHttpContexts.Create("POST", $"?token={Token}", contentType, body);

        await Endpoint(Token).HandleAsync(http);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_Get_Is405()
    {
        var http = ReceiptHttpContexts.Create("GET", $"?token={Token}&smsMsgId=id-1&status=DELIVRD");

        await Endpoint(Token).HandleAsync(http);

        Assert.Equal(405, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    private HuaweiReceiptEndpoint Endpoint(string? token) => new(
        ProviderContexts.For(new HuaweiOptions { ReceiptToken = token }, HuaweiProviderType.Name, "huawei-cn", receipts: _sink),
        NullLogger<HuaweiReceiptEndpoint>.Instance);
}
