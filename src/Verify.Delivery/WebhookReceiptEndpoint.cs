using System.Globalization;
using System.Text.Json;
using Verify.Delivery.Providers;

namespace Verify.Delivery;

/// <summary>
/// Takes the webhook receiver's delivery receipts: a POST of one JSON object
/// <c>{"message_id", "status": "sent"|"delivered"|"undelivered"|"failed", "error_code"?, "timestamp"?}</c>
/// or an array of them, signed with the webhook's SigningSecret exactly as Verify signs its requests
/// (<see cref="WebhookSmsSender.SignatureHeader"/>: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;).
/// A missing or malformed signature header, or a t more than 5 minutes from now (a replay), is 401 before
/// any of the body is read, and a declared body over 256 KiB is 413 before it is read, so an anonymous
/// request costs no buffer; a wrong signature is 401; a body that is not such JSON is 400 and applies
/// nothing; otherwise every receipt goes to the sink and the answer is 204.
/// </summary>
internal sealed partial class WebhookReceiptEndpoint(ProviderContext context, TimeProvider timeProvider, ILogger<WebhookReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const int MaxBodyBytes = 256 * 1024;

    private const int MaxReceipts = 1000;

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var secret = context.Settings<WebhookOptions>().SigningSecret;
        if (secret is null || WebhookSignature.Parse(http.Request.Headers[WebhookSmsSender.SignatureHeader].ToString(), timeProvider.GetUtcNow()) is not { } signature)
        {
            Log.Refused(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReceiptBody.ReadAsync(http.Request, MaxBodyBytes);
        if (body is null)
        {
            Log.Malformed(logger, context.Name, "body too large");
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (!signature.Matches(secret, body))
        {
            Log.Refused(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (Parse(body, out var problem) is not { } receipts)
        {
            Log.Malformed(logger, context.Name, problem!);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        foreach (var receipt in receipts)
        {
            await context.Receipts.ApplyAsync(receipt, http.RequestAborted);
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// True when the header has a t within <see cref="Tolerance"/> of now and a v1 equal (in constant time) to
    /// the HMAC of t + "." + body; several v1 are allowed, so a receiver can sign with an old and a new secret.
    /// </summary>
    internal static bool Verify(string secret, string header, byte[] body, DateTimeOffset now) =>
        WebhookSignature.Parse(header, now) is { } signature && signature.Matches(secret, body);

    /// <summary>All the receipts, or null (and what is wrong) when any one is malformed: then none is applied.</summary>
    internal List<DeliveryReceipt>? Parse(byte[] body, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var items = root.ValueKind switch
            {
                JsonValueKind.Object => [root],
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                _ => null,
            };
            if (items is null || items.Count is 0 or > MaxReceipts)
            {
                problem = $"expected a receipt object or an array of 1 to {MaxReceipts}";
                return null;
            }

            var receipts = new List<DeliveryReceipt>(items.Count);
            foreach (var item in items)
            {
                if (Receipt(item, out problem) is not { } receipt)
                {
                    return null;
                }

                receipts.Add(receipt);
            }

            problem = null;
            return receipts;
        }
        catch (JsonException)
        {
            problem = "not JSON";
            return null;
        }
    }

    private DeliveryReceipt? Receipt(JsonElement item, out string? problem)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("message_id", out var idElement) || idElement.ValueKind != JsonValueKind.String
            || idElement.GetString() is not { Length: > 0 and <= 128 } id || !IsPrintable(id))
        {
            problem = "message_id must be a non-empty string";
            return null;
        }

        DeliveryState? state = item.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
            ? status.GetString() switch
            {
                "sent" => DeliveryState.Sent,
                "delivered" => DeliveryState.Delivered,
                "undelivered" => DeliveryState.Undelivered,
                "failed" => DeliveryState.Failed,
                _ => null,
            }
            : null;
        if (state is null)
        {
            problem = "status must be sent, delivered, undelivered or failed";
            return null;
        }

        string? errorCode = null;
        if (item.TryGetProperty("error_code", out var code) && code.ValueKind != JsonValueKind.Null)
        {
            if (code.ValueKind != JsonValueKind.String || code.GetString() is not { Length: > 0 and <= 64 } text || !IsPrintable(text))
            {
                problem = "error_code must be a short printable string";
                return null;
            }

            errorCode = text;
        }

        DateTimeOffset? at = null;
        if (item.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind != JsonValueKind.Null)
        {
            if (timestamp.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParseExact(timestamp.GetString(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                problem = "timestamp must be RFC 3339";
                return null;
            }

            at = parsed;
        }

        problem = null;
        return new DeliveryReceipt(context.Name, id, state.Value) { ProviderStatus = errorCode ?? status.GetString(), At = at };
    }

    private static bool IsPrintable(string value) => value.All(c => c is >= ' ' and < (char)127);

    private static partial class Log
    {
        [LoggerMessage(545, LogLevel.Warning, "Refused receipts for {Provider}: missing, wrong or stale signature.")]
        public static partial void Refused(ILogger logger, string provider);

        [LoggerMessage(546, LogLevel.Warning, "Refused receipts for {Provider}: {Problem}.")]
        public static partial void Malformed(ILogger logger, string provider, string problem);
    }
}
