using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Server.Tests.Delivery.Providers;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Delivery;

/// <summary>Receipts the webhook's receiver posts back, signed with the SigningSecret; signatures are computed here, independently.</summary>
public sealed class WebhookReceiptEndpointTests
{
    private const string Secret = "a-webhook-secret-of-length";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingReceiptSink _sink = new();

    [Fact]
    public async Task HandleAsync_SignedReceipt_ReachesTheSinkAndAnswers204()
    {
        const string body = """{"message_id":"msg-42","status":"delivered","timestamp":"2026-11-22T07:59:30Z"}""";
        var http = Request(body, Signature(Secret, _clock.GetUtcNow(), body));

        await Endpoint().HandleAsync(http);

        Assert.Equal(204, http.Response.StatusCode);
        var receipt = Assert.Single(_sink.Receipts);
        Assert.Equal("webhook-1", receipt.Provider);
        Assert.Equal("msg-42", receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal("delivered", receipt.ProviderStatus);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 7, 59, 30, TimeSpan.Zero), receipt.At);
    }

    [Fact]
    public async Task HandleAsync_SignedArray_AppliesEachWithItsStateAndErrorCode()
    {
        const string body = """
            [
              {"message_id":"a","status":"sent"},
              {"message_id":"b","status":"undelivered","error_code":"30003","timestamp":"2026-11-22T08:00:00.250+08:00"},
              {"message_id":"c","status":"failed","error_code":null},
              {"message_id":"d","status":"delivered"}
            ]
            """;
        var http = Request(body, Signature(Secret, _clock.GetUtcNow(), body));

        await Endpoint().HandleAsync(http);

        Assert.Equal(204, http.Response.StatusCode);
        var receipts = _sink.Receipts.ToArray();
        Assert.Equal(new[] { "a", "b", "c", "d" }, receipts.Select(r => r.ProviderMessageId));
        Assert.Equal(new[] { DeliveryState.Sent, DeliveryState.Undelivered, DeliveryState.Failed, DeliveryState.Delivered }, receipts.Select(r => r.State));
        Assert.Equal("30003", receipts[1].ProviderStatus);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, 250, TimeSpan.Zero), receipts[1].At);
    }

    [Fact]
    public async Task HandleAsync_SecondV1ForARotatedSecret_IsAccepted()
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var old = Signature("an-old-secret-of-some-length", _clock.GetUtcNow(), body);
        var current = Signature(Secret, _clock.GetUtcNow(), body);
        var http = Request(body, old + ",v1=" + current.Split("v1=")[1]);

        await Endpoint().HandleAsync(http);

        Assert.Equal(204, http.Response.StatusCode);
        Assert.Single(_sink.Receipts);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("missing")]
    [InlineData("no-v1")]
    [InlineData("no-t")]
    [InlineData("body-changed")]
    [InlineData("not-hex")]
    public async Task HandleAsync_MissingOrForgedSignature_Is401AndChangesNothing(string forgery)
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var now = _clock.GetUtcNow();
        var header = forgery switch
        {
            "forged" => Signature("someone-elses-secret-value", now, body),
            "missing" => null,
            "no-v1" => $"t={now.ToUnixTimeSeconds()}",
            "no-t" => Signature(Secret, now, body).Split(',')[1],
            "body-changed" => Signature(Secret, now, body.Replace("delivered", "failed", StringComparison.Ordinal)),
            _ => $"t={now.ToUnixTimeSeconds()},v1={new string('z', 64)}",
        };

        var http = Request(body, header);
        await Endpoint().HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86400)]
    public async Task HandleAsync_ValidSignatureButStaleOrFutureTimestamp_Is401AsAReplay(int secondsFromNow)
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var http = Request(body, Signature(Secret, _clock.GetUtcNow().AddSeconds(secondsFromNow), body));

        await Endpoint().HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public async Task HandleAsync_TimestampWithinFiveMinutes_IsAccepted(int secondsFromNow)
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var http = Request(body, Signature(Secret, _clock.GetUtcNow().AddSeconds(secondsFromNow), body));

        await Endpoint().HandleAsync(http);

        Assert.Equal(204, http.Response.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("\"delivered\"")]
    [InlineData("[]")]
    [InlineData("""{"status":"delivered"}""")]
    [InlineData("""{"message_id":"","status":"delivered"}""")]
    [InlineData("""{"message_id":42,"status":"delivered"}""")]
    [InlineData("""{"message_id":"msg-42","status":"read"}""")]
    [InlineData("""{"message_id":"msg-42","status":"DELIVERED"}""")]
    [InlineData("""{"message_id":"msg-42"}""")]
    [InlineData("""{"message_id":"msg-42","status":"delivered","timestamp":"yesterday"}""")]
    [InlineData("""{"message_id":"msg-42","status":"delivered","timestamp":1764000000}""")]
    [InlineData("""{"message_id":"msg-42","status":"failed","error_code":30003}""")]
    [InlineData("""[{"message_id":"ok","status":"delivered"},{"message_id":"bad","status":"lost"}]""")]
    public async Task HandleAsync_SignedButMalformed_Is400AndAppliesNothing(string body)
    {
        var http = Request(body, Signature(Secret, _clock.GetUtcNow(), body));

        await Endpoint().HandleAsync(http);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_SecretRemovedByAReload_RefusesEverything()
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var options = new WebhookOptions { Url = new Uri("https://sms.example.com/send"), SigningSecret = Secret };
        var endpoint = new WebhookReceiptEndpoint(ProviderContexts.For(options, "webhook", "webhook-1", receipts: _sink), _clock, NullLogger<WebhookReceiptEndpoint>.Instance);
        options.SigningSecret = null;

        var http = Request(body, Signature(Secret, _clock.GetUtcNow(), body));
        await endpoint.HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public void CreateReceiptEndpoint_OnlyWithASigningSecret()
    {
        using var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_clock).BuildServiceProvider();
        var kind = new WebhookProviderType();

        var without = kind.CreateReceiptEndpoint(ProviderContexts.For(new WebhookOptions { Url = new Uri("https://sms.example.com/send") }, "webhook"), services);
        var with = kind.CreateReceiptEndpoint(ProviderContexts.For(new WebhookOptions { Url = new Uri("https://sms.example.com/send"), SigningSecret = Secret }, "webhook"), services);

        Assert.Null(without);
        Assert.IsType<WebhookReceiptEndpoint>(with);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("t=1795334400")]
    [InlineData("t=1795334400,v1=zz")]
    [InlineData("t=1,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task HandleAsync_NoUsableSignatureHeader_Is401BeforeTheBodyIsRead(string? header)
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var http = Request(body, header);
        var stream = new ReadRecordingStream(System.Text.Encoding.UTF8.GetBytes(body));
        http.Request.Body = stream;

        await Endpoint().HandleAsync(http);

        Assert.Equal(401, http.Response.StatusCode);
        Assert.False(stream.WasRead);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_DeclaredBodyOver256KiB_Is413BeforeItIsRead()
    {
        const string body = """{"message_id":"msg-42","status":"delivered"}""";
        var http = Request(body, Signature(Secret, _clock.GetUtcNow(), body));
        var stream = new ReadRecordingStream(System.Text.Encoding.UTF8.GetBytes(body));
        http.Request.Body = stream;
        http.Request.ContentLength = 256 * 1024 + 1;

        await Endpoint().HandleAsync(http);

        Assert.Equal(413, http.Response.StatusCode);
        Assert.False(stream.WasRead);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_UndeclaredBodyOver256KiB_Is413()
    {
        var body = "[" + string.Join(',', Enumerable.Repeat("""{"message_id":"msg-42","status":"delivered"}""", 7000)) + "]";
        var http = Request(body, Signature(Secret, _clock.GetUtcNow(), body));
        http.Request.ContentLength = null;

        await Endpoint().HandleAsync(http);

        Assert.Equal(413, http.Response.StatusCode);
        Assert.Empty(_sink.Receipts);
    }

    [Fact]
    public async Task HandleAsync_Get_Is405()
    {
        var http = ReceiptHttpContexts.Create("GET", string.Empty);

        await Endpoint().HandleAsync(http);

        Assert.Equal(405, http.Response.StatusCode);
    }

    private static string Signature(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)))}";
    }

    private static Microsoft.AspNetCore.Http.DefaultHttpContext Request(string body, string? signature) =>
        ReceiptHttpContexts.Create("POST", string.Empty, "application/json", body, signature is null ? null : new Dictionary<string, string> { [WebhookSmsSender.SignatureHeader] = signature });

    private WebhookReceiptEndpoint Endpoint() => new(
        ProviderContexts.For(new WebhookOptions { Url = new Uri("https://sms.example.com/send"), SigningSecret = Secret }, "webhook", "webhook-1", receipts: _sink),
        _clock,
        NullLogger<WebhookReceiptEndpoint>.Instance);
}
