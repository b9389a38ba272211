using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Verify.Delivery.Providers;

namespace Verify.Delivery;

/// <summary>
/// POSTs each message as JSON to the configured URL; any 2xx answer is a send, anything else (status,
/// connection error) a failure. Body fields: to, text, verification_id, purpose, locale, channel,
/// template_id, template_params, send_id. A connection failure or HTTP 408, 429, 500, 502, 503, 504 is
/// retried (<see cref="WebhookOptions.Retries"/>) with the same Idempotency-Key and a fresh signature, so
/// a receiver that de-duplicates texts once; other answers are final. The router bounds the time a send
/// may take, retries included. A 2xx JSON answer's "message_id" names the message for receipts; without
/// one, or when the answer's body is slow or broken, the send id does. A 4xx other than 401, 403, 407, 408
/// and 429 refuses this message: a rejection the breaker does not count.
/// </summary>
internal sealed partial class WebhookSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<WebhookSmsSender> logger) : ISmsSender
{
    public const string SignatureHeader = "X-Verify-Signature";

    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The longest wait before a retry; a Retry-After asking for more is not waited for (failing over is faster).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>How long the body of a 2xx answer may take to arrive: the message is taken whatever it says.</summary>
    internal static readonly TimeSpan AnswerReadLimit = TimeSpan.FromSeconds(1);

    private const int MaxAnswerBytes = 64 * 1024;

    private const int MaxMessageIdLength = 128;

    public string Name => context.Name;

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var webhook = context.Settings<WebhookOptions>();
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(
            message.To, message.Text, message.VerificationId, message.Purpose, message.Locale, message.Channel.Name(), message.TemplateId, message.TemplateParameters, message.SendId),
            WebhookJsonContext.Default.WebhookPayload);
        var client = httpClients.CreateClient(DeliveryHttp.ClientName);

        for (var attempt = 0; ; attempt++)
        {
            var outcome = await AttemptAsync(client, webhook, body, message, cancellationToken);
            if (!outcome.Retryable || attempt >= webhook.Retries)
            {
                return outcome.Result;
            }

            var delay = Backoff(webhook.RetryBackoff, attempt);
            if (outcome.RetryAfter is { } retryAfter)
            {
                if (retryAfter > MaxRetryDelay)
                {
                    Log.RetryAfterTooLong(logger, message.MaskedTo, retryAfter);
                    return outcome.Result;
                }

                delay = retryAfter > delay ? retryAfter : delay;
            }

            Log.Retrying(logger, message.MaskedTo, attempt + 1, outcome.Result.Error!, delay);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    /// <summary>Stripe-style: the timestamp is signed with the body, so a captured request cannot be replayed later.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}";
    }

    /// <summary>HMAC-SHA256(secret, timestamp + "." + body): the v1 of <see cref="SignatureHeader"/>, both ways.</summary>
    internal static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    /// <summary>RetryBackoff doubled per retry, capped, then "equal jitter": half of it fixed, half random, so retries of many sends spread out.</summary>
    internal static TimeSpan Backoff(TimeSpan first, int retry)
    {
        var full = TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, retry), MaxRetryDelay.Ticks));
        return full / 2 + full / 2 * Random.Shared.NextDouble();
    }

    private async Task<Attempt> AttemptAsync(HttpClient client, WebhookOptions webhook, byte[] body, SmsMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(IdempotencyHeader, message.SendId);
        if (webhook.SigningSecret is { } secret)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, body, timeProvider.GetUtcNow()));
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new Attempt(SendResult.Success(await MessageIdAsync(response, message, cancellationToken)), false, null);
            }

            Log.Refused(logger, message.MaskedTo, status);
            return new Attempt(SendResult.Refused($"webhook answered HTTP {status}", RefusesMessage(status)), IsRetryable(status), RetryAfter(response));
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, message.MaskedTo, exception.Message);
            return new Attempt(SendResult.Failure("webhook unreachable"), IsRetryable(exception.HttpRequestError), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the router's deadline: the connection hung; another try may not.
            Log.Unreachable(logger, message.MaskedTo, "timed out");
            return new Attempt(SendResult.Failure("webhook timed out"), true, null);
        }
    }

    private static bool IsRetryable(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>
    /// A 4xx says the receiver refused this message, except 401, 403 and 407 (our credentials or our proxy's),
    /// 408 and 429 (the receiver is slow or throttling us): those, 5xx and anything else count against the breaker.
    /// </summary>
    private static bool RefusesMessage(int status) => status is >= 400 and < 500 and not (401 or 403 or 407 or 408 or 429);

    /// <summary>Connection-level failures may pass; TLS, authentication and protocol mismatches will not.</summary>
    private static bool IsRetryable(HttpRequestError error) => error is not (HttpRequestError.SecureConnectionError
        or HttpRequestError.UserAuthenticationError
        or HttpRequestError.ConfigurationLimitExceeded
        or HttpRequestError.VersionNegotiationError
        or HttpRequestError.InvalidResponse);

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// The receiver's "message_id" when its 2xx answer is a JSON object with one; else the send id, which
    /// receipts may then name. The receiver has taken the message, so nothing here may turn it into a
    /// failure (the next provider would text the user again): the body is read under its own short bound,
    /// and a body that is slow, broken or cut off by the caller's deadline just leaves the send id.
    /// </summary>
    private async Task<string> MessageIdAsync(HttpResponseMessage response, SmsMessage message, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(AnswerReadLimit, timeProvider);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, bound.Token);
            var answer = await response.Content.ReadAsByteArrayAsync(bound.Token);
            if (answer.Length == 0)
            {
                return message.SendId;
            }

            using var document = JsonDocument.Parse(answer);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message_id", out var id)
                && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 and <= MaxMessageIdLength } value
                && value.All(c => c is > ' ' and < (char)127)
                ? value
                : message.SendId;
        }
        catch (JsonException)
        {
            return message.SendId;
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            Log.AnswerUnread(logger, message.MaskedTo, exception is OperationCanceledException ? "not read in time" : exception.GetType().Name);
            return message.SendId;
        }
    }

    private readonly record struct Attempt(SendResult Result, bool Retryable, TimeSpan? RetryAfter);

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Webhook refused the message to {MaskedTo}: HTTP {StatusCode}.")]
        public static partial void Refused(ILogger logger, string maskedTo, int statusCode);

        [LoggerMessage(302, LogLevel.Warning, "Webhook unreachable for the message to {MaskedTo}: {Reason}")]
        public static partial void Unreachable(ILogger logger, string maskedTo, string reason);

        [LoggerMessage(540, LogLevel.Information, "Webhook retry {Retry} for the message to {MaskedTo} in {Delay} ({Reason}).")]
        public static partial void Retrying(ILogger logger, string maskedTo, int retry, string reason, TimeSpan delay);

        [LoggerMessage(542, LogLevel.Warning, "Webhook took the message to {MaskedTo}, but its answer could not be read ({Reason}): the send id names the message.")]
        public static partial void AnswerUnread(ILogger logger, string maskedTo, string reason);

        [LoggerMessage(541, LogLevel.Warning, "Webhook asked to retry the message to {MaskedTo} after {RetryAfter}: longer than Verify waits, giving up on it.")]
        public static partial void RetryAfterTooLong(ILogger logger, string maskedTo, TimeSpan retryAfter);
    }
}
