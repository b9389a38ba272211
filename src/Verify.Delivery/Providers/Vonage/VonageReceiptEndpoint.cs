using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>
/// Vonage SMS delivery receipts (DLRs), as the account's webhook method sends them: GET with the fields
/// in the query, POST form, or POST JSON. Fields: msisdn, to, network-code, messageId, price, status,
/// scts, err-code, api-key, client-ref, message-timestamp; with signed webhooks also timestamp, nonce, sig.
/// <para>
/// Authentication: with a signature secret configured, <c>sig</c> must sign every other field (see
/// <see cref="VonageSignature"/>) with the configured method; otherwise the request's query must carry the
/// configured receipt token (compared in constant time); with neither, every receipt is refused. Failure
/// is 403 and changes nothing. No freshness window is applied to the signed timestamp: a replayed receipt
/// names the same message and state, and receipts only move a status forward, so a replay changes nothing.
/// </para>
/// <para>
/// Status: delivered → Delivered; expired, failed, rejected → Undelivered (the message was accepted for
/// delivery and did not reach the handset; err-code says why, e.g. "failed/6" anti-spam, so none is read
/// as Verify's "Failed", which means the channel refused the message when it was sent); accepted,
/// buffered → Sent (still on its way); unknown and anything else change nothing. The receipt's provider
/// status is "status/err-code". The answer is 200 with no body: Vonage wants a 2xx, or it retries.
/// </para>
/// </summary>
internal sealed partial class VonageReceiptEndpoint(ProviderContext context, ILogger<VonageReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    private const long MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions Limits = new() { ValueCountLimit = 100, KeyLengthLimit = 100, ValueLengthLimit = 8 * 1024, BufferBody = false };

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var response = http.Response;
        var options = context.Settings<VonageOptions>();
        var signed = !string.IsNullOrEmpty(options.SignatureSecret);
        if (!signed && string.IsNullOrEmpty(options.ReceiptToken))
        {
            Log.CannotAuthenticate(logger, context.Name);
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // The token sits in the query whatever the method, and is checked before any body is read.
        if (!signed && !ReceiptToken.IsIn(request, options.ReceiptToken))
        {
            Log.Refused(logger, context.Name, "missing or wrong token", http.Connection.RemoteIpAddress?.ToString() ?? "-");
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = MaxBodyBytes;
        }

        var fields = await ReadFieldsAsync(request, http.RequestAborted);
        if (fields is null)
        {
            Log.Malformed(logger, context.Name, "unreadable body");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (signed)
        {
            VonageSignature.TryParseMethod(options.SignatureMethod, out var method);
            fields.TryGetValue(VonageSignature.Parameter, out var signature);
            if (!VonageSignature.IsValid(options.SignatureSecret!, method, fields, signature))
            {
                Log.Refused(logger, context.Name, "missing or wrong sig", http.Connection.RemoteIpAddress?.ToString() ?? "-");
                response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }

        if (!fields.TryGetValue("messageId", out var id) || string.IsNullOrEmpty(id)
            || !fields.TryGetValue("status", out var status) || string.IsNullOrEmpty(status))
        {
            Log.Malformed(logger, context.Name, "no messageId or status");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (State(status) is { } state)
        {
            var errorCode = fields.GetValueOrDefault("err-code");
            var providerStatus = string.IsNullOrEmpty(errorCode) ? Printable(status) : $"{Printable(status)}/{Printable(errorCode)}";
            await context.Receipts.ApplyAsync(
                new DeliveryReceipt(context.Name, id, state) { ProviderStatus = providerStatus, At = Timestamp(fields.GetValueOrDefault("message-timestamp")) },
                http.RequestAborted);
        }
        else
        {
            Log.Ignored(logger, context.Name, Printable(status));
        }

        response.StatusCode = StatusCodes.Status200OK;
    }

    internal static DeliveryState? State(string status) => status switch
    {
        "delivered" => DeliveryState.Delivered,
        "expired" or "failed" or "rejected" => DeliveryState.Undelivered,
        "accepted" or "buffered" => DeliveryState.Sent,
        _ => null,
    };

    /// <summary>GET: the query. POST: the form, or the JSON object (string values; others as their JSON text). Null when unreadable.</summary>
    private static async Task<Dictionary<string, string>?> ReadFieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (HttpMethods.IsGet(request.Method))
            {
                foreach (var (name, values) in request.Query)
                {
                    fields[name] = values.ToString();
                }
            }
            else if (request.HasFormContentType)
            {
                var form = await new FormFeature(request, Limits).ReadFormAsync(cancellationToken);
                foreach (var (name, values) in form)
                {
                    fields[name] = values.ToString();
                }
            }
            else if (request.HasJsonContentType())
            {
                using var json = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                foreach (var property in json.RootElement.EnumerateObject())
                {
                    fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
            else
            {
                return null;
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or JsonException)
        {
            return null;
        }

        return fields;
    }

    // "message-timestamp" is UTC, "2020-01-01 12:00:00": when Vonage started to push the receipt.
    private static DateTimeOffset? Timestamp(string? value) =>
        DateTimeOffset.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    // Provider-supplied text goes to logs and metrics: keep it short and plain.
    private static string Printable(string value)
    {
        var kept = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(32).ToArray());
        return kept.Length == 0 ? "-" : kept;
    }

    private static partial class Log
    {
        [LoggerMessage(470, LogLevel.Warning, "Vonage provider {Provider}: refused a delivery receipt from {RemoteIp}: {Reason}.")]
        public static partial void Refused(ILogger logger, string provider, string reason, string remoteIp);

        [LoggerMessage(471, LogLevel.Error, "Vonage provider {Provider}: refused a delivery receipt: neither SignatureSecret nor ReceiptToken is configured to authenticate it.")]
        public static partial void CannotAuthenticate(ILogger logger, string provider);

        [LoggerMessage(472, LogLevel.Warning, "Vonage provider {Provider}: refused a delivery receipt: {Reason}.")]
        public static partial void Malformed(ILogger logger, string provider, string reason);

        [LoggerMessage(473, LogLevel.Debug, "Vonage provider {Provider}: status {Status} changes nothing.")]
        public static partial void Ignored(ILogger logger, string provider, string status);
    }
}
