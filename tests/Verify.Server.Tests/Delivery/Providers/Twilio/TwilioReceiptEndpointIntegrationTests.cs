using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers.Twilio;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Twilio;

/// <summary>Twilio's status callbacks, signed as Twilio signs them, posted to the receipt endpoint hosted on loopback.</summary>
public sealed class TwilioReceiptEndpointIntegrationTests : IAsyncLifetime
{
    private const string AuthToken = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string MessageSid = "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string CallSid = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    // The public URL Verify gave Twilio: not the loopback address the test server listens on.
    private const string PublicReceiptUrl = "https://verify.example.com/delivery/receipts/twilio-main";

    private readonly CapturingReceiptSink _sink = new();
    private readonly HttpClient _client = new();
    private TwilioOptions _options = null!;
    private StubHttpServer _host = null!;

    public async Task InitializeAsync()
    {
        _options = new TwilioOptions { AccountSid = AccountSid, AuthToken = AuthToken, From = "+14155552345" };
        var context = ProviderContexts.For(_options, TwilioProviderType.Name, "twilio-main", new Uri(PublicReceiptUrl), _sink);
        var endpoint = new TwilioReceiptEndpoint(context, NullLogger<TwilioReceiptEndpoint>.Instance);
        _host = await StubHttpServer.StartAsync(endpoint.HandleAsync);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Post_SignedDelivered_ReachesTheSinkAndAnswers204()
    {
        var response = await PostAsync(MessageCallback("delivered"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal("twilio-main", receipt.Provider);
        Assert.Equal(MessageSid, receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal("delivered", receipt.ProviderStatus);
    }

    [Theory]
    [InlineData("sent", "Sent")]
    [InlineData("delivered", "Delivered")]
    [InlineData("read", "Delivered")]
    [InlineData("undelivered", "Undelivered")]
    [InlineData("failed", "Failed")]
    [InlineData("canceled", "Failed")]
    public async Task Post_MessageStatus_MapsToTheDeliveryState(string status, string expected)
    {
        var response = await PostAsync(MessageCallback(status));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Enum.Parse<DeliveryState>(expected), Assert.Single(_sink.Receipts).State);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("accepted")]
    [InlineData("sending")]
    [InlineData("scheduled")]
    [InlineData("something-new")]
    public async Task Post_InterimOrUnknownMessageStatus_ChangesNothingButIsAcknowledged(string status)
    {
        var response = await PostAsync(MessageCallback(status));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_UndeliveredWithErrorCode_CarriesTheErrorCode()
    {
        var callback = MessageCallback("undelivered");
        callback["ErrorCode"] = "30003";

        await PostAsync(callback);

        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
        Assert.Equal("30003", receipt.ProviderStatus);
    }

    [Theory]
    [InlineData("completed", "Delivered")]
    [InlineData("busy", "Undelivered")]
    [InlineData("no-answer", "Undelivered")]
    [InlineData("failed", "Undelivered")]
    [InlineData("canceled", "Undelivered")]
    public async Task Post_CallStatus_MapsToTheDeliveryState(string status, string expected)
    {
        var response = await PostAsync(CallCallback(status));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(CallSid, receipt.ProviderMessageId);
        Assert.Equal(Enum.Parse<DeliveryState>(expected), receipt.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 5, TimeSpan.Zero), receipt.At);
    }

    [Theory]
    [InlineData("ringing")]
    [InlineData("in-progress")]
    public async Task Post_InterimCallStatus_ChangesNothing(string status)
    {
        await PostAsync(CallCallback(status));

        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_QueryString_IsPartOfTheSignedUrl()
    {
        var callback = MessageCallback("delivered");

        var response = await PostAsync(callback, query: "?attempt=2", signedUrl: PublicReceiptUrl + "?attempt=2");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(_sink.Receipts);
    }

    [Fact]
    public async Task Post_SignedWithAnotherToken_Is403AndChangesNothing()
    {
        var response = await PostAsync(MessageCallback("delivered"), token: "00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_NoSignature_Is403AndChangesNothing()
    {
        var response = await PostAsync(MessageCallback("delivered"), sign: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_SignedForTheHostItReached_Is403BecauseOnlyThePublicUrlCounts()
    {
        var localUrl = new Uri(_host.BaseUrl, "delivery/receipts/twilio-main").AbsoluteUri;

        var response = await PostAsync(MessageCallback("delivered"), signedUrl: localUrl);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_ParameterChangedAfterSigning_Is403()
    {
        var callback = MessageCallback("undelivered");
        var signature = Sign(AuthToken, PublicReceiptUrl, callback);
        callback["MessageStatus"] = "delivered";

        var response = await PostAsync(callback, signature: signature);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_NoAuthTokenConfigured_Is403()
    {
        _options.AuthToken = null;

        var response = await PostAsync(MessageCallback("delivered"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_SignedButNeitherMessageNorCall_Is400()
    {
        var response = await PostAsync(new Dictionary<string, string> { ["AccountSid"] = AccountSid, ["ApiVersion"] = "2010-04-01" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Post_NotAForm_Is400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(string.Empty)) { Content = new StringContent("{\"MessageSid\":\"SM1\"}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Twilio-Signature", "bm9wZQ==");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Get_Is405()
    {
        var response = await _client.GetAsync(Endpoint("?MessageSid=SM1&MessageStatus=delivered"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    // A status callback as Twilio's Messaging documentation lists its parameters.
    private static Dictionary<string, string> MessageCallback(string status) => new()
    {
        ["AccountSid"] = AccountSid,
        ["ApiVersion"] = "2010-04-01",
        ["From"] = "+14155552345",
        ["MessageSid"] = MessageSid,
        ["MessageStatus"] = status,
        ["SmsSid"] = MessageSid,
        ["SmsStatus"] = status,
        ["To"] = "+8613812345678",
    };

    private static Dictionary<string, string> CallCallback(string status) => new()
    {
        ["AccountSid"] = AccountSid,
        ["ApiVersion"] = "2010-04-01",
        ["CallbackSource"] = "call-progress-events",
        ["CallDuration"] = "14",
        ["CallSid"] = CallSid,
        ["CallStatus"] = status,
        ["Called"] = "+8613812345678",
        ["Direction"] = "outbound-api",
        ["From"] = "+14155550100",
        ["SequenceNumber"] = "0",
        ["Timestamp"] = "Sun, 22 Nov 2026 08:00:05 +0000",
        ["To"] = "+8613812345678",
    };

    // Twilio's algorithm, written out here independently of TwilioSignature.
    private static string Sign(string token, string url, Dictionary<string, string> form)
    {
        var data = url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data)));
    }

    private Uri Endpoint(string query) => new(_host.BaseUrl, "delivery/receipts/twilio-main" + query);

    private async Task<HttpResponseMessage> PostAsync(
        Dictionary<string, string> form, string query = "", string? signedUrl = null, string token = AuthToken, bool sign = true, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(query)) { Content = new FormUrlEncodedContent(form) };
        if (sign)
        {
            request.Headers.Add("X-Twilio-Signature", signature ?? Sign(token, signedUrl ?? PublicReceiptUrl, form));
        }

        return await _client.SendAsync(request);
    }
}
