using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers.Chuanglan;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Chuanglan;

/// <summary>Chuanglan's status-report push: GET with the report in the query (domestic), or POSTed JSON.</summary>
public sealed class ChuanglanReceiptEndpointTests
{
    private const string Token = "receipt-token-0123456789";

    // The domestic push's query as 253 documents it (回送状态报告), receiver and pswd empty unless support sets them.
    private const string DeliveredQuery = "receiver=&pswd=&msgid=17041010383624511&reportTime=1704101038&mobile=13812345678&status=DELIVRD&notifyTime=170410103839&statusDesc=%E7%9F%AD%E4%BF%A1%E5%8F%91%E9%80%81%E6%88%90%E5%8A%9F&uid=0123456789abcdef&length=1";

    private readonly CapturingReceiptSink _sink = new();

    [Fact]
    public async Task HandleAsync_DeliveredGetWithToken_ReachesTheSinkAndAnswers200()
    {
        var http = ReceiptHttpContexts.Create("GET", $"?token={Token}&{DeliveredQuery}");

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token }).HandleAsync(http);

        Assert.Equal(200, http.Response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal("chuanglan", receipt.Provider);
        Assert.Equal("17041010383624511", receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal("DELIVRD", receipt.ProviderStatus);
        Assert.Equal(new DateTimeOffset(2017, 4, 10, 10, 38, 0, TimeSpan.FromHours(8)), receipt.At);
    }

    [Theory]
    [InlineData("UNDELIV")]
    [InlineData("EXPIRED")]
    [InlineData("REJECTD")]
    [InlineData("MK:0001")]
    public async Task HandleAsync_AnyOtherStatus_IsUndelivered(string status)
    {
        var http = ReceiptHttpContexts.Create("GET", $"?token={Token}&msgid=m-1&status={Uri.EscapeDataString(status)}&reportTime=1704101038");

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token }).HandleAsync(http);

        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
        Assert.Equal(status, receipt.ProviderStatus);
    }

    [Fact]
    public async Task HandleAsync_PostedJson_IsReadToo()
    {
        const string body = """{"receiver":"","pswd":"","msgid":"627239445736452096","status":"DELIVRD","reportTime":"1749545540967","mobile":"8613812345678","uid":"0123456789abcdef"}""";
        var http = ReceiptHttpContexts.Create("POST", $"?token={Token}", "application/json", body);

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token }).HandleAsync(http);

        Assert.Equal(200, http.Response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal("627239445736452096", receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1749545540967), receipt.At);
    }

    [Fact]
    public async Task HandleAsync_PostWithoutTheToken_Is401BeforeTheBodyIsRead()
    {
        const string body = """{"msgid":"627239445736452096","status":"DELIVRD"}""";
        var http = ReceiptHttpContexts.Create("POST", string.Empty, "application/json", body);
        var stream = new ReadRecordingStream(System.Text.Encoding.UTF8.GetBytes(body));
        http.Request.Body = stream;

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token }).HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.False(stream.WasRead);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=receipt-token-0123456780&")]
    [InlineData("?token=RECEIPT-TOKEN-0123456789&")]
    public async Task HandleAsync_MissingOrForgedToken_Is401AndChangesNothing(string prefix)
    {
        var http = ReceiptHttpContexts.Create("GET", (prefix.Length == 0 ? "?" : prefix) + DeliveredQuery);

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token }).HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_NoTokenConfigured_RefusesEverything()
    {
        var http = ReceiptHttpContexts.Create("GET", $"?token={Token}&{DeliveredQuery}");

        await Endpoint(new ChuanglanOptions()).HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("push-user", "push-pass", 200)]
    [InlineData("push-user", "wrong-pass", 401)]
    [InlineData("other-user", "push-pass", 401)]
    [InlineData("", "", 401)]
    public async Task HandleAsync_ConfiguredReceiverAndPswd_MustMatchToo(string receiver, string pswd, int expected)
    {
        var http = ReceiptHttpContexts.Create("GET", $"?token={Token}&receiver={receiver}&pswd={pswd}&msgid=m-1&status=DELIVRD");

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token, ReceiptReceiver = "push-user", ReceiptPassword = "push-pass" }).HandleAsync(http);

        Assert.Equal(expected, http.Response.StatusCode);
        Assert.Equal(expected == 200 ? 1 : 0, _sink.Receipts.Count);
    }

    [Theory]
    [InlineData("GET", null, "", "status=DELIVRD")]
    [InlineData("GET", null, "", "msgid=m-1")]
    [InlineData("POST", "application/json", "{not json", "")]
    [InlineData("POST", "application/json", """["msgid","m-1"]""", "")]
    public async Task HandleAsync_MalformedReport_Is400AndChangesNothing(string method, string? contentType, string body, string query)
    {
        var http = ReceiptHttpContexts.Create(method, $"?token={Token}&{query}", contentType, body);

        await Endpoint(new ChuanglanOptions { ReceiptToken = Token }).HandleAsync(http);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("1704101038", "2017-04-10T10:38:00+08:00")]
    [InlineData("240201001115", "2024-02-01T00:11:15+08:00")]
    [InlineData("2024-02-01T00:11:15.130Z", "2024-02-01T00:11:15.130+00:00")]
    public void ReportTime_DocumentedFormats_AreRead(string value, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ChuanglanReceiptEndpoint.ReportTime(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("17041")]
    [InlineData("yesterday")]
    public void ReportTime_Unreadable_IsNoTime(string? value)
    {
        Assert.Null(ChuanglanReceiptEndpoint.ReportTime(value));
    }

    private ChuanglanReceiptEndpoint Endpoint(ChuanglanOptions options) => new(
        ProviderContexts.For(options, ChuanglanProviderType.Name, "chuanglan", receipts: _sink),
        NullLogger<ChuanglanReceiptEndpoint>.Instance);
}
