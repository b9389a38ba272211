using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Answer = Verify.Server.Tests.Infrastructure.WebhookCaptureServer.Answer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery;

/// <summary>The webhook sender against a real HTTP server on loopback; retry waits run on a clock the test moves.</summary>
public sealed class WebhookSmsSenderIntegrationTests : IAsyncLifetime
{
    private const string Secret = "a-webhook-secret-of-length";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private WebhookCaptureServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await WebhookCaptureServer.StartAsync();
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_Accepted_PostsTheDocumentedJsonFields()
    {
        var result = await Sender(Options(secret: null)).SendAsync(Message(), CancellationToken.None);

        Assert.True(result.Accepted);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("+8613812345678", request.Json.GetProperty("to").GetString());
        Assert.Equal("Verify: 123456 is your code", request.Json.GetProperty("text").GetString());
        Assert.Equal("VE0123456789abcdef0123456789abcdef", request.Json.GetProperty("verification_id").GetString());
        Assert.Equal("login", request.Json.GetProperty("purpose").GetString());
        Assert.Equal("en", request.Json.GetProperty("locale").GetString());
        Assert.Equal("send-1", request.Json.GetProperty("send_id").GetString());
        Assert.Equal("send-1", request.Headers["Idempotency-Key"]);
        Assert.False(request.Headers.ContainsKey(WebhookSmsSender.SignatureHeader));
    }

    [Fact]
    public async Task SendAsync_WithSecret_SignsTimestampAndBodySoTheReceiverCanVerify()
    {
        await Sender(Options(Secret)).SendAsync(Message(), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        AssertSignedNow(request, _clock.GetUtcNow());
    }

    [Fact]
    public async Task SendAsync_AnswerWithMessageId_UsesItAsTheProviderMessageId()
    {
        _server.Script.Enqueue(new Answer(202, Json: """{"message_id":"msg-42","queued":true}"""));

        var result = await Sender(Options(secret: null)).SendAsync(Message(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("msg-42", result.ProviderMessageId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"id":"msg-42"}""")]
    [InlineData("""{"message_id":42}""")]
    [InlineData("""{"message_id":""}""")]
    [InlineData("""["msg-42"]""")]
    [InlineData("not json")]
    public async Task SendAsync_AnswerWithoutAUsableMessageId_UsesTheSendId(string? json)
    {
        _server.Script.Enqueue(new Answer(200, Json: json));

        var result = await Sender(Options(secret: null)).SendAsync(Message(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("send-1", result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_FailsTwiceThenSucceeds_SendsExactlyThreeRequestsWithOneIdempotencyKeyAndFreshSignatures()
    {
        _server.Script.Enqueue(new Answer(503));
        _server.Script.Enqueue(new Answer(500));
        _server.Script.Enqueue(new Answer(200));

        var result = await WithClockRunning(Sender(Options(Secret, retries: 2)).SendAsync(Message(), CancellationToken.None));

        Assert.True(result.Accepted);
        var requests = _server.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal("send-1", r.Headers["Idempotency-Key"]));
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        var timestamps = requests.Select(r => AssertSignedNow(r, now: null)).ToArray();
        Assert.Equal(timestamps.Length, timestamps.Distinct().Count());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendAsync_RetryableStatusOnce_IsRetriedAndAccepted(int status)
    {
        _server.Script.Enqueue(new Answer(status));

        var result = await WithClockRunning(Sender(Options(secret: null, retries: 1)).SendAsync(Message(), CancellationToken.None));

        Assert.True(result.Accepted);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_AlwaysFailing_StopsAfterRetriesPlusOneRequests()
    {
        _server.StatusCode = 502;

        var result = await WithClockRunning(Sender(Options(secret: null, retries: 3)).SendAsync(Message(), CancellationToken.None));

        Assert.False(result.Accepted);
        Assert.Equal("webhook answered HTTP 502", result.Error);
        Assert.True(result.ProviderFault);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Theory]
    [InlineData(400, false)]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(422, false)]
    [InlineData(501, true)]
    public async Task SendAsync_OtherStatus_IsFinalAfterExactlyOneRequest(int status, bool providerFault)
    {
        _server.StatusCode = status;

        var result = await WithClockRunning(Sender(Options(secret: null, retries: 5)).SendAsync(Message(), CancellationToken.None));

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Equal($"webhook answered HTTP {status.ToString(CultureInfo.InvariantCulture)}", result.Error);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_RetryAfterWithinTheCap_WaitsThatLongBeforeRetrying()
    {
        _server.Script.Enqueue(new Answer(429, RetryAfter: "1"));
        var send = Sender(Options(secret: null, retries: 2, backoff: TimeSpan.FromMilliseconds(1))).SendAsync(Message(), CancellationToken.None);
        await WaitFor(() => _server.Requests.Count == 1);

        // Let the sender read the answer and start its wait on the clock before the clock moves.
        await Task.Delay(300);
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(200);
        Assert.Single(_server.Requests);
        Assert.False(send.IsCompleted);

        _clock.Advance(TimeSpan.FromMilliseconds(200));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Accepted);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondTheCap_GivesUpAtOnceSoTheRouterCanFailOver()
    {
        _server.Script.Enqueue(new Answer(503, RetryAfter: "30"));

        var result = await Sender(Options(secret: null, retries: 2)).SendAsync(Message(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(result.Accepted);
        Assert.Equal("webhook answered HTTP 503", result.Error);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_CancelledWhileWaitingToRetry_StopsRetrying()
    {
        _server.StatusCode = 503;
        using var cancellation = new CancellationTokenSource();
        var send = Sender(Options(secret: null, retries: 5, backoff: TimeSpan.FromSeconds(2))).SendAsync(Message(), cancellation.Token);
        await WaitFor(() => _server.Requests.Count == 1);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_NothingListening_IsAFailedSendAfterItsRetries()
    {
        var url = _server.Url;
        await _server.DisposeAsync();

        var result = await WithClockRunning(Sender(Options(secret: null, retries: 2), url).SendAsync(Message(), CancellationToken.None));

        Assert.False(result.Accepted);
        Assert.Equal("webhook unreachable", result.Error);
        Assert.True(result.ProviderFault);
        _server = await WebhookCaptureServer.StartAsync();
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    public async Task SendAsync_SlowOrThrottlingAfterItsRetries_CountsAgainstTheBreaker(int status)
    {
        _server.StatusCode = status;

        var result = await WithClockRunning(Sender(Options(secret: null, retries: 1)).SendAsync(Message(), CancellationToken.None));

        Assert.False(result.Accepted);
        Assert.True(result.ProviderFault);
    }

    [Fact]
    public async Task SendAsync_TwoHundredWhoseBodyNeverEnds_IsASendNamedByTheSendIdAfterTheShortBound()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stalling = await StubHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 100;
            await context.Response.WriteAsync("""{"message_id":"m""");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(context.RequestAborted);
        });

        try
        {
            var result = await WithClockRunning(Sender(Options(secret: null, retries: 3), stalling.BaseUrl).SendAsync(Message(), CancellationToken.None));

            Assert.True(result.Accepted);
            Assert.Equal("send-1", result.ProviderMessageId);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task SendAsync_CallerLeavesWhileTheBodyIsRead_IsStillASend()
    {
        // The receiver answered 2xx: it has the message, so the caller's deadline must not turn it into a
        // failure (the router would text the user again through the next provider).
        var headersSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stalling = await StubHttpServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 202;
            context.Response.ContentLength = 100;
            await context.Response.Body.FlushAsync();
            headersSent.TrySetResult();
            await release.Task.WaitAsync(context.RequestAborted);
        });
        using var caller = new CancellationTokenSource();

        try
        {
            var send = Sender(Options(secret: null), stalling.BaseUrl).SendAsync(Message(), caller.Token);
            await headersSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(300);
            await caller.CancelAsync();

            var result = await send.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.True(result.Accepted);
            Assert.Equal("send-1", result.ProviderMessageId);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public void Backoff_DoublesFromRetryBackoffWithJitterAndIsCappedAtTwoSeconds()
    {
        var first = TimeSpan.FromMilliseconds(200);
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(WebhookSmsSender.Backoff(first, 0), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
            Assert.InRange(WebhookSmsSender.Backoff(first, 1), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
            Assert.InRange(WebhookSmsSender.Backoff(first, 2), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800));
            Assert.InRange(WebhookSmsSender.Backoff(first, 4), TimeSpan.FromMilliseconds(1000), TimeSpan.FromSeconds(2));
            Assert.InRange(WebhookSmsSender.Backoff(TimeSpan.FromSeconds(2), 5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Checks v1 against an HMAC computed here; returns t. With <paramref name="now"/>, t must be it.</summary>
    private static long AssertSignedNow(WebhookCaptureServer.CapturedRequest request, DateTimeOffset? now)
    {
        var parts = request.Headers[WebhookSmsSender.SignatureHeader].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(parts["t"] + "." + request.Body)));
        Assert.Equal(expected, parts["v1"]);
        var t = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        if (now is { } at)
        {
            Assert.Equal(at.ToUnixTimeSeconds(), t);
        }

        return t;
    }

    /// <summary>Moves the clock 2 s at a time until the send ends, so retry waits pass without real waiting.</summary>
    private async Task<T> WithClockRunning<T>(Task<T> task)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            await Task.WhenAny(task, Task.Delay(20));
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(1));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }

    private static WebhookOptions Options(string? secret, int retries = 0, TimeSpan? backoff = null) => new()
    {
        SigningSecret = secret,
        Retries = retries,
        RetryBackoff = backoff ?? TimeSpan.FromMilliseconds(200),
    };

    private WebhookSmsSender Sender(WebhookOptions options, Uri? url = null)
    {
        options.Url = url ?? _server.Url;
        return new WebhookSmsSender(
            ProviderContexts.For(options, "webhook"),
            _services.GetRequiredService<IHttpClientFactory>(),
            _clock,
            NullLogger<WebhookSmsSender>.Instance);
    }

    private static SmsMessage Message() => SmsMessages.Login() with { SendId = "send-1" };
}
