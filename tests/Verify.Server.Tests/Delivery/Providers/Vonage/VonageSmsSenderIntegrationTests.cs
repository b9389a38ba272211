using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers.Vonage;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Vonage;

/// <summary>The Vonage sender against a stub of the SMS API on loopback, answering with the API reference's bodies.</summary>
public sealed class VonageSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string ApiKey = "abcd1234";
    private const string ApiSecret = "abcdef0123456789";
    private const string SignatureSecret = "2zzXDyLUAEdT8rTcKqJuOwgPmRYBDAu4jXDi0GmoARevPdOZ1R";
    private const string ReceiptToken = "a-receipt-token-of-at-least-32-characters";
    private static readonly Uri ReceiptUrl = new("https://verify.example.com/delivery/receipts/vonage-main");

    // The SMS API reference's answer to a send, one part.
    private const string Accepted = """
        {"message-count": "1", "messages": [{"to": "8613812345678", "message-id": "0A0000000123ABCD1", "status": "0",
         "remaining-balance": "3.14159265", "message-price": "0.03330000", "network": "46000", "client-ref": "0123456789abcdef"}]}
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private StubHttpServer _vonage = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _vonage = await StubHttpServer.StartAsync();
        _vonage.Respond = _ => new StubReply(200, Accepted);
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _vonage.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_ApiSecret_PostsTheDocumentedFormAndReturnsTheMessageId()
    {
        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("0A0000000123ABCD1", result.ProviderMessageId);
        var request = Assert.Single(_vonage.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/sms/json", request.Path);
        Assert.Equal(string.Empty, request.QueryString);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(
            ["api_key", "api_secret", "callback", "client-ref", "from", "text", "to", "type"],
            request.Form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ApiKey, request.Field("api_key"));
        Assert.Equal(ApiSecret, request.Field("api_secret"));
        Assert.Equal("Verify", request.Field("from"));
        Assert.Equal("8613812345678", request.Field("to"));
        Assert.Equal("Verify: 123456 is your code", request.Field("text"));
        Assert.Equal("text", request.Field("type"));
        Assert.Equal("0123456789abcdef", request.Field("client-ref"));
        Assert.Equal("https://verify.example.com/delivery/receipts/vonage-main?token=a-receipt-token-of-at-least-32-characters", request.Field("callback"));
    }

    [Fact]
    public async Task SendAsync_TextOutsideGsm7_IsSentAsUnicode()
    {
        var message = SmsMessages.Login() with { Text = "【Verify】验证码 123456，5分钟内有效" };

        await Sender(Options()).SendAsync(message, CancellationToken.None);

        var request = Assert.Single(_vonage.Requests);
        Assert.Equal("unicode", request.Field("type"));
        Assert.Equal("【Verify】验证码 123456，5分钟内有效", request.Field("text"));
    }

    [Theory]
    [InlineData("md5hash")]
    [InlineData("md5")]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public async Task SendAsync_SignatureSecret_SignsWithTimestampAndSendsNoApiSecret(string method)
    {
        var options = Options();
        options.ApiSecret = null;
        options.SignatureSecret = SignatureSecret;
        options.SignatureMethod = method;
        var message = SmsMessages.Login() with { Text = "Verify: 123456 is your code & it = secret" };

        var result = await Sender(options).SendAsync(message, CancellationToken.None);

        Assert.True(result.Accepted);
        var request = Assert.Single(_vonage.Requests);
        Assert.Null(request.Field("api_secret"));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Field("timestamp"));
        Assert.Equal("https://verify.example.com/delivery/receipts/vonage-main", request.Field("callback"));
        Assert.Equal(ExpectedSignature(method, request), request.Field("sig"));
    }

    [Fact]
    public async Task SendAsync_BothSecrets_SignsAndNeverSendsTheApiSecret()
    {
        var options = Options();
        options.SignatureSecret = SignatureSecret;

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var request = Assert.Single(_vonage.Requests);
        Assert.Null(request.Field("api_secret"));
        Assert.NotNull(request.Field("sig"));
    }

    [Fact]
    public async Task SendAsync_NoPublicReceiptUrl_SendsNoCallback()
    {
        await Sender(Options(), withReceiptUrl: false).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Null(Assert.Single(_vonage.Requests).Field("callback"));
    }

    [Fact]
    public async Task SendAsync_NoWayToAuthenticateReceipts_SendsNoCallback()
    {
        var options = Options();
        options.ReceiptToken = null;

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Null(Assert.Single(_vonage.Requests).Field("callback"));
    }

    [Theory]
    [InlineData("2", "Missing to param", "vonage status 2 (missing parameters)")]
    [InlineData("4", "Bad Credentials", "vonage status 4 (invalid credentials)")]
    [InlineData("1", "Throughput Rate Exceeded - please wait [ 50 ] and retry", "vonage status 1 (throttled)")]
    [InlineData("6", "Unroutable message - rejected", "vonage status 6 (invalid message)")]
    [InlineData("29", "Non White-listed Destination - rejected: 8613812345678", "vonage status 29 (non-whitelisted destination)")]
    [InlineData("99", "Something new for +8613812345678", "vonage status 99")]
    public async Task SendAsync_ErrorStatus_FailsWithTheStatusButNotTheErrorText(string status, string errorText, string expected)
    {
        _vonage.Respond = _ => new StubReply(200, $$"""{"message-count": "1", "messages": [{"status": "{{status}}", "error-text": "{{errorText}}"}]}""");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(expected, result.Error);
        Assert.DoesNotContain("13812345678", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_EveryPartAccepted_IsASendNamedByTheFirstPart()
    {
        _vonage.Respond = _ => new StubReply(200, """
            {"message-count": "2", "messages": [
              {"to": "8613812345678", "message-id": "0A0000000123ABCD1", "status": "0", "remaining-balance": "3.1", "message-price": "0.0333", "network": "46000"},
              {"to": "8613812345678", "message-id": "0A0000000123ABCD2", "status": "0", "remaining-balance": "3.0", "message-price": "0.0333", "network": "46000"}]}
            """);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("0A0000000123ABCD1", result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_APartRefused_IsAFailedSend()
    {
        _vonage.Respond = _ => new StubReply(200, """
            {"message-count": "2", "messages": [
              {"to": "8613812345678", "message-id": "0A0000000123ABCD1", "status": "0"},
              {"status": "1", "error-text": "Throughput Rate Exceeded"}]}
            """);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("vonage status 1 (throttled) on 1 of 2 parts", result.Error);
    }

    [Theory]
    [InlineData(500, "")]
    [InlineData(401, """{"type": "https://developer.nexmo.com/api-errors#unauthorized", "title": "Unauthorized"}""")]
    [InlineData(200, "not json")]
    [InlineData(200, """{"message-count": "0", "messages": []}""")]
    public async Task SendAsync_UnusableAnswer_IsAFailedSendCountedAgainstTheProvider(int status, string body)
    {
        _vonage.Respond = _ => new StubReply(status, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.True(result.ProviderFault);
        Assert.DoesNotContain(ApiSecret, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"message-count": "1", "messages": [{"status": "0"}]}""")]
    [InlineData("""{"message-count": "1", "messages": [{"status": "0", "message-id": "not an id\n"}]}""")]
    public async Task SendAsync_EveryPartTakenWithoutAUsableId_IsASendWithoutAnId(string body)
    {
        // Failing over would text the user a second time: the message was taken, only its receipts are lost.
        _vonage.Respond = _ => new StubReply(200, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
    }

    [Theory]
    [InlineData("3", "Invalid to address")]
    [InlineData("7", "Number barred")]
    [InlineData("29", "Non White-listed Destination - rejected")]
    [InlineData("33", "Number de-activated")]
    public async Task SendAsync_StatusRefusingTheNumber_IsARejectionTheBreakerDoesNotCount(string status, string errorText)
    {
        _vonage.Respond = _ => new StubReply(200, $$"""{"message-count": "1", "messages": [{"status": "{{status}}", "error-text": "{{errorText}}"}]}""");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.ProviderFault);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    [InlineData("5")]
    [InlineData("9")]
    [InlineData("99")]
    public async Task SendAsync_StatusOfTheProviderOrAccount_CountsAgainstTheBreaker(string status)
    {
        _vonage.Respond = _ => new StubReply(200, $$"""{"message-count": "1", "messages": [{"status": "{{status}}", "error-text": "x"}]}""");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.True(result.ProviderFault);
    }

    [Fact]
    public async Task SendAsync_NothingListening_IsAFailedSend()
    {
        var options = Options();
        await _vonage.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("vonage unreachable", result.Error);
        _vonage = await StubHttpServer.StartAsync();
    }

    [Fact]
    public async Task SendAsync_Cancelled_Throws()
    {
        _vonage.Delay = TimeSpan.FromSeconds(10);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(Options()).SendAsync(SmsMessages.Login(), cancellation.Token));
    }

    // Vonage's "manually generate a signature", written out here independently of VonageSignature.
    private static string ExpectedSignature(string method, StubRequest request)
    {
        var signed = string.Concat(request.Form
            .Where(f => f.Key != "sig")
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => "&" + f.Key + "=" + f.Value.ToString().Replace("&", "_", StringComparison.Ordinal).Replace("=", "_", StringComparison.Ordinal)));
        var key = Encoding.UTF8.GetBytes(SignatureSecret);
        var data = Encoding.UTF8.GetBytes(signed);
        return method switch
        {
            "md5hash" => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(signed + SignatureSecret))).ToLowerInvariant(),
            "md5" => Convert.ToHexString(HMACMD5.HashData(key, data)),
            "sha1" => Convert.ToHexString(HMACSHA1.HashData(key, data)),
            "sha256" => Convert.ToHexString(HMACSHA256.HashData(key, data)),
            _ => Convert.ToHexString(HMACSHA512.HashData(key, data)),
        };
    }

    private VonageOptions Options() => new()
    {
        BaseUrl = _vonage.BaseUrl,
        ApiKey = ApiKey,
        ApiSecret = ApiSecret,
        From = "Verify",
        ReceiptToken = ReceiptToken,
    };

    private VonageSmsSender Sender(VonageOptions options, bool withReceiptUrl = true) => new(
        ProviderContexts.For(options, VonageProviderType.Name, "vonage-main", withReceiptUrl ? ReceiptUrl : null),
        _services.GetRequiredService<IHttpClientFactory>(),
        _time,
        NullLogger<VonageSmsSender>.Instance);
}
