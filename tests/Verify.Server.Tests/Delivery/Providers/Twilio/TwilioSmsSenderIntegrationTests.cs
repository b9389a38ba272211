using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers.Twilio;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Twilio;

/// <summary>The Twilio sender against a stub of Twilio's REST API on loopback, answering with Twilio's documented bodies.</summary>
public sealed class TwilioSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
    private const string MessageSid = "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string CallSid = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly Uri ReceiptUrl = new("https://verify.example.com/delivery/receipts/twilio-main");

    // Twilio's Message resource as the API reference shows the answer to a create (201 Created).
    private static readonly string MessageCreated = $$"""
        {"account_sid": "{{AccountSid}}", "api_version": "2010-04-01", "body": "Verify: 123456 is your code",
         "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "date_sent": null, "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000",
         "direction": "outbound-api", "error_code": null, "error_message": null, "from": "+14155552345",
         "messaging_service_sid": null, "num_media": "0", "num_segments": "1", "price": null, "price_unit": null,
         "sid": "{{MessageSid}}", "status": "queued",
         "subresource_uris": {"media": "/2010-04-01/Accounts/{{AccountSid}}/Messages/{{MessageSid}}/Media.json"},
         "to": "+8613812345678", "uri": "/2010-04-01/Accounts/{{AccountSid}}/Messages/{{MessageSid}}.json"}
        """;

    private static readonly string CallCreated = $$"""
        {"account_sid": "{{AccountSid}}", "annotation": null, "answered_by": null, "api_version": "2010-04-01",
         "caller_name": null, "date_created": null, "date_updated": null, "direction": "outbound-api", "duration": null,
         "end_time": null, "forwarded_from": null, "from": "+14155550100", "from_formatted": "(415) 555-0100",
         "group_sid": null, "parent_call_sid": null, "phone_number_sid": "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "price": null, "price_unit": "USD", "sid": "{{CallSid}}", "start_time": null, "status": "queued",
         "to": "+8613812345678", "to_formatted": "+8613812345678",
         "uri": "/2010-04-01/Accounts/{{AccountSid}}/Calls/{{CallSid}}.json"}
        """;

    private StubHttpServer _twilio = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _twilio = await StubHttpServer.StartAsync();
        _twilio.Respond = request => new StubReply(201, request.Path.EndsWith("/Calls.json", StringComparison.Ordinal) ? CallCreated : MessageCreated);
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_Sms_PostsTheDocumentedFormWithBasicAuthAndReturnsTheMessageSid()
    {
        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal(MessageSid, result.ProviderMessageId);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", request.Path);
        Assert.Equal(string.Empty, request.QueryString);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal($"{AccountSid}:{AuthToken}", BasicCredentials(request));
        Assert.Equal(
            ["Body", "From", "StatusCallback", "To"],
            request.Form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("+8613812345678", request.Field("To"));
        Assert.Equal("+14155552345", request.Field("From"));
        Assert.Equal("Verify: 123456 is your code", request.Field("Body"));
        Assert.Equal("https://verify.example.com/delivery/receipts/twilio-main", request.Field("StatusCallback"));
    }

    [Fact]
    public async Task SendAsync_MessagingService_SendsMessagingServiceSidInsteadOfFrom()
    {
        var options = Options();
        options.From = null;
        options.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("MG0123456789abcdef0123456789abcdef", request.Field("MessagingServiceSid"));
        Assert.Null(request.Field("From"));
    }

    [Fact]
    public async Task SendAsync_ApiKey_AuthenticatesWithTheKeyPair()
    {
        var options = Options();
        options.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
        options.ApiKeySecret = "an-api-key-secret";

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("SK0123456789abcdef0123456789abcdef:an-api-key-secret", BasicCredentials(Assert.Single(_twilio.Requests)));
    }

    [Fact]
    public async Task SendAsync_NoPublicReceiptUrl_AsksForNoStatusCallback()
    {
        await Sender(Options(), withReceiptUrl: false).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Null(Assert.Single(_twilio.Requests).Field("StatusCallback"));
    }

    [Fact]
    public async Task SendAsync_ApiKeyWithoutAuthToken_AsksForNoStatusCallbackItCouldNotVerify()
    {
        var options = Options();
        options.AuthToken = null;
        options.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
        options.ApiKeySecret = "an-api-key-secret";

        await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Null(Assert.Single(_twilio.Requests).Field("StatusCallback"));
    }

    [Theory]
    [InlineData(400, """{"code": 21211, "message": "The 'To' number +8613812345678 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}""", "twilio error 21211 (HTTP 400)")]
    [InlineData(401, """{"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": "Authentication Error - invalid username", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}""", "twilio error 20003 (HTTP 401)")]
    [InlineData(429, """{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}""", "twilio error 20429 (HTTP 429)")]
    [InlineData(503, "<html><body>Service Unavailable</body></html>", "twilio answered HTTP 503")]
    [InlineData(500, "", "twilio answered HTTP 500")]
    public async Task SendAsync_TwilioError_FailsWithTheCodeAndStatusButNotTwiliosMessage(int status, string body, string expected)
    {
        _twilio.Respond = _ => new StubReply(status, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(expected, result.Error);
        Assert.DoesNotContain("13812345678", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status": "queued"}""")]
    [InlineData("""{"sid": "SM not a sid", "status": "queued"}""")]
    [InlineData("not json")]
    public async Task SendAsync_CreatedWithoutAReadableSid_IsASendWithoutAnId(string body)
    {
        // Twilio created the message: failing over would text the user a second time.
        _twilio.Respond = _ => new StubReply(201, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
    }

    [Theory]
    [InlineData(21211, "The 'To' number is not a valid phone number.")]
    [InlineData(21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.")]
    [InlineData(21610, "Attempt to send to unsubscribed recipient")]
    [InlineData(21614, "'To' number is not a valid mobile number")]
    public async Task SendAsync_ErrorRefusingTheNumber_IsARejectionTheBreakerDoesNotCount(int code, string text)
    {
        _twilio.Respond = _ => new StubReply(400, $$"""{"code": {{code}}, "message": "{{text}}", "more_info": "https://www.twilio.com/docs/errors/{{code}}", "status": 400}""");

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.ProviderFault);
        Assert.Equal($"twilio error {code} (HTTP 400)", result.Error);
    }

    [Theory]
    [InlineData(401, """{"code": 20003, "message": "Authentication Error - invalid username", "status": 401}""")]
    [InlineData(429, """{"code": 20429, "message": "Too Many Requests", "status": 429}""")]
    [InlineData(400, """{"code": 21606, "message": "The 'From' phone number provided is not a valid message-capable Twilio phone number.", "status": 400}""")]
    [InlineData(400, """{"code": 99999, "message": "Something new", "status": 400}""")]
    [InlineData(400, "")]
    [InlineData(503, "")]
    public async Task SendAsync_ErrorOfTwilioOrTheAccount_CountsAgainstTheBreaker(int status, string body)
    {
        _twilio.Respond = _ => new StubReply(status, body);

        var result = await Sender(Options()).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.True(result.ProviderFault);
    }

    [Fact]
    public async Task SendAsync_NothingListening_CountsAgainstTheBreaker()
    {
        var options = Options();
        await _twilio.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.ProviderFault);
        _twilio = await StubHttpServer.StartAsync();
    }

    [Fact]
    public async Task SendAsync_NothingListening_IsAFailedSend()
    {
        var options = Options();
        await _twilio.DisposeAsync();

        var result = await Sender(options).SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("twilio unreachable", result.Error);
        _twilio = await StubHttpServer.StartAsync();
    }

    [Fact]
    public async Task SendAsync_Cancelled_Throws()
    {
        _twilio.Delay = TimeSpan.FromSeconds(10);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sender(Options()).SendAsync(SmsMessages.Login(), cancellation.Token));
    }

    [Fact]
    public async Task SendAsync_Voice_CreatesACallThatSpeaksTheCodeAndReturnsTheCallSid()
    {
        var result = await Sender(Options()).SendAsync(SmsMessages.Login(channel: DeliveryChannel.Voice), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal(CallSid, result.ProviderMessageId);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Calls.json", request.Path);
        Assert.Equal($"{AccountSid}:{AuthToken}", BasicCredentials(request));
        Assert.Equal(
            ["From", "StatusCallback", "StatusCallbackEvent", "StatusCallbackMethod", "To", "Twiml"],
            request.Form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("+8613812345678", request.Field("To"));
        Assert.Equal("+14155550100", request.Field("From"));
        Assert.Equal("https://verify.example.com/delivery/receipts/twilio-main", request.Field("StatusCallback"));
        Assert.Equal("completed", request.Field("StatusCallbackEvent"));
        Assert.Equal("POST", request.Field("StatusCallbackMethod"));

        var twiml = XElement.Parse(request.Field("Twiml")!);
        Assert.Equal("Response", twiml.Name.LocalName);
        var says = twiml.Elements("Say").ToList();
        Assert.Equal(2, says.Count);
        Assert.All(says, say => Assert.Equal("en-US", say.Attribute("language")?.Value));
        Assert.All(says, say => Assert.EndsWith("1, 2, 3, 4, 5, 6.", say.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("13812345678", request.Field("Twiml"), StringComparison.Ordinal);
        Assert.DoesNotContain("VE0123456789", request.Field("Twiml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_VoiceWithoutVoiceFrom_FailsWithoutCallingTwilio()
    {
        var options = Options();
        options.VoiceFrom = null;

        var result = await Sender(options).SendAsync(SmsMessages.Login(channel: DeliveryChannel.Voice), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.False(result.ProviderFault);
        Assert.Empty(_twilio.Requests);
    }

    [Fact]
    public void CanServe_Voice_OnlyWithAVoiceNumber()
    {
        var withVoice = Sender(Options());
        var options = Options();
        options.VoiceFrom = null;
        var without = Sender(options);

        Assert.True(withVoice.CanServe("login", "CN", DeliveryChannel.Voice));
        Assert.False(without.CanServe("login", "CN", DeliveryChannel.Voice));
        Assert.True(without.CanServe("login", "CN", DeliveryChannel.Sms));
    }

    private static string BasicCredentials(StubRequest request)
    {
        var header = request.Headers["Authorization"];
        Assert.StartsWith("Basic ", header, StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
    }

    private TwilioOptions Options() => new()
    {
        BaseUrl = _twilio.BaseUrl,
        AccountSid = AccountSid,
        AuthToken = AuthToken,
        From = "+14155552345",
        VoiceFrom = "+14155550100",
    };

    private TwilioSmsSender Sender(TwilioOptions options, bool withReceiptUrl = true) => new(
        ProviderContexts.For(options, TwilioProviderType.Name, "twilio-main", withReceiptUrl ? ReceiptUrl : null),
        _services.GetRequiredService<IHttpClientFactory>(),
        NullLogger<TwilioSmsSender>.Instance);
}
