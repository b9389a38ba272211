using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers.Vonage;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Vonage;

/// <summary>Vonage delivery receipts (GET, POST form, POST JSON), by token or signed, sent to the receipt endpoint hosted on loopback.</summary>
public sealed class VonageReceiptEndpointIntegrationTests : IAsyncLifetime
{
    private const string ReceiptToken = "a-receipt-token-of-at-least-32-characters";
    private const string SignatureSecret = "Y6dI3wtDP8myVH5tnDoIaTxEvAJhgDVCczBa1mHniEqsdlnnebg";
    private const string MessageId = "0A0000001234567B";

    private readonly CapturingReceiptSink _sink = new();
    private readonly HttpClient _client = new();
    private VonageOptions _options = null!;
    private StubHttpServer _host = null!;

    public async Task InitializeAsync()
    {
        _options = new VonageOptions { ApiKey = "abcd1234", ApiSecret = "abcdef0123456789", From = "Verify", ReceiptToken = ReceiptToken };
        var context = ProviderContexts.For(_options, VonageProviderType.Name, "vonage-main", new Uri("https://verify.example.com/delivery/receipts/vonage-main"), _sink);
        var endpoint = new VonageReceiptEndpoint(context, NullLogger<VonageReceiptEndpoint>.Instance);
        _host = await StubHttpServer.StartAsync(endpoint.HandleAsync);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Get_WithToken_ReachesTheSinkAndAnswers200WithNoBody()
    {
        var response = await _client.GetAsync(Url(WithToken(Receipt("delivered"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal("vonage-main", receipt.Provider);
        Assert.Equal(MessageId, receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal("delivered/0", receipt.ProviderStatus);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.Zero), receipt.At);
    }

    [Fact]
    public async Task PostForm_WithToken_ReachesTheSink()
    {
        var response = await _client.PostAsync(Url(new() { ["token"] = ReceiptToken }), new FormUrlEncodedContent(Receipt("delivered")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeliveryState.Delivered, Assert.Single(_sink.Receipts).State);
    }

    [Fact]
    public async Task PostJson_WithToken_ReachesTheSink()
    {
        var response = await _client.PostAsync(Url(new() { ["token"] = ReceiptToken }), Json(Receipt("expired", errorCode: "1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
        Assert.Equal("expired/1", receipt.ProviderStatus);
    }

    [Theory]
    [InlineData("delivered", "Delivered")]
    [InlineData("expired", "Undelivered")]
    [InlineData("failed", "Undelivered")]
    [InlineData("rejected", "Undelivered")]
    [InlineData("accepted", "Sent")]
    [InlineData("buffered", "Sent")]
    public async Task Get_Status_MapsToTheDeliveryState(string status, string expected)
    {
        await _client.GetAsync(Url(WithToken(Receipt(status))));

        Assert.Equal(Enum.Parse<DeliveryState>(expected), Assert.Single(_sink.Receipts).State);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("something-new")]
    public async Task Get_UnknownStatus_ChangesNothingButIsAcknowledged(string status)
    {
        var response = await _client.GetAsync(Url(WithToken(Receipt(status))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a-receipt-token-of-at-least-32-characterz")]
    [InlineData("a-receipt-token-of-at-least-32-character")]
    public async Task Get_MissingOrWrongToken_Is403AndChangesNothing(string? token)
    {
        var fields = Receipt("delivered");
        if (token is not null)
        {
            fields["token"] = token;
        }

        var response = await _client.GetAsync(Url(fields));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task PostForm_TokenInTheBodyNotTheQuery_Is403()
    {
        var response = await _client.PostAsync(Url([]), new FormUrlEncodedContent(WithToken(Receipt("delivered"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Get_NeitherSecretNorTokenConfigured_Is403()
    {
        _options.ReceiptToken = null;

        var response = await _client.GetAsync(Url(WithToken(Receipt("delivered"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData("md5hash")]
    [InlineData("md5")]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public async Task Get_Signed_ReachesTheSink(string method)
    {
        UseSignatures(method);

        var response = await _client.GetAsync(Url(Signed(Receipt("delivered"), method)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MessageId, Assert.Single(_sink.Receipts).ProviderMessageId);
    }

    [Fact]
    public async Task PostForm_Signed_ReachesTheSink()
    {
        UseSignatures("sha256");

        var response = await _client.PostAsync(Url([]), new FormUrlEncodedContent(Signed(Receipt("failed", errorCode: "6"), "sha256")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
        Assert.Equal("failed/6", receipt.ProviderStatus);
    }

    [Fact]
    public async Task PostJson_Signed_ReachesTheSink()
    {
        UseSignatures("md5hash");

        var response = await _client.PostAsync(Url([]), Json(Signed(Receipt("delivered"), "md5hash")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_sink.Receipts);
    }

    [Fact]
    public async Task Get_SignedWithAnotherSecret_Is403AndChangesNothing()
    {
        UseSignatures("sha256");

        var response = await _client.GetAsync(Url(Signed(Receipt("delivered"), "sha256", secret: "another-signature-secret")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Get_FieldChangedAfterSigning_Is403()
    {
        UseSignatures("sha256");
        var fields = Signed(Receipt("failed"), "sha256");
        fields["status"] = "delivered";

        var response = await _client.GetAsync(Url(fields));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task Get_SignaturesOnButUnsigned_Is403EvenWithTheToken()
    {
        UseSignatures("sha256");

        var response = await _client.GetAsync(Url(WithToken(Receipt("delivered"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task PostJson_Malformed_Is400()
    {
        var response = await _client.PostAsync(Url(new() { ["token"] = ReceiptToken }), new StringContent("{\"messageId\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task PostJson_NotAnObject_Is400()
    {
        var response = await _client.PostAsync(Url(new() { ["token"] = ReceiptToken }), new StringContent("[1, 2]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostText_Is400()
    {
        var response = await _client.PostAsync(Url(new() { ["token"] = ReceiptToken }), new StringContent("messageId=1", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_NoMessageId_Is400()
    {
        var fields = WithToken(Receipt("delivered"));
        fields.Remove("messageId");

        var response = await _client.GetAsync(Url(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    // A delivery receipt with the fields the SMS API reference lists.
    private static Dictionary<string, string> Receipt(string status, string errorCode = "0") => new()
    {
        ["msisdn"] = "8613812345678",
        ["to"] = "Verify",
        ["network-code"] = "46000",
        ["messageId"] = MessageId,
        ["price"] = "0.03330000",
        ["status"] = status,
        ["scts"] = "2001011400",
        ["err-code"] = errorCode,
        ["api-key"] = "abcd1234",
        ["client-ref"] = "0123456789abcdef",
        ["message-timestamp"] = "2020-01-01 12:00:00",
    };

    private static Dictionary<string, string> WithToken(Dictionary<string, string> fields) => new(fields) { ["token"] = ReceiptToken };

    // Vonage's signing, written out here independently of VonageSignature: timestamp and nonce added, then sig.
    private static Dictionary<string, string> Signed(Dictionary<string, string> fields, string method, string secret = SignatureSecret)
    {
        var signed = new Dictionary<string, string>(fields) { ["timestamp"] = "1582650446", ["nonce"] = "ec11dd3e-1e7f-4db5-9467-82b02cd223b9" };
        var text = string.Concat(signed.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"&{f.Key}={f.Value.Replace('&', '_').Replace('=', '_')}"));
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(text);
        signed["sig"] = method switch
        {
            "md5hash" => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text + secret))).ToLowerInvariant(),
            "md5" => Convert.ToHexString(HMACMD5.HashData(key, data)),
            "sha1" => Convert.ToHexString(HMACSHA1.HashData(key, data)),
            "sha256" => Convert.ToHexString(HMACSHA256.HashData(key, data)),
            _ => Convert.ToHexString(HMACSHA512.HashData(key, data)),
        };
        return signed;
    }

    private static StringContent Json(Dictionary<string, string> fields) => new(JsonSerializer.Serialize(fields), Encoding.UTF8, "application/json");

    private void UseSignatures(string method)
    {
        _options.SignatureSecret = SignatureSecret;
        _options.SignatureMethod = method;
    }

    private Uri Url(Dictionary<string, string> query) =>
        new(QueryHelpers.AddQueryString(new Uri(_host.BaseUrl, "delivery/receipts/vonage-main").AbsoluteUri, query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value))));
}
