using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// Twilio's status callbacks: form POSTs signed with <c>X-Twilio-Signature</c>. The signature is checked
/// against the URL Verify gave Twilio (<see cref="ProviderContext.ReceiptUrl"/>, plus the query string
/// of the request): never against the Host header, which the caller chooses. It is keyed with the Auth
/// Token, so without one every callback is refused. A bad or missing signature is 403 and changes nothing.
/// <para>
/// Messages (MessageSid, MessageStatus): sent → Sent; delivered and read → Delivered; undelivered
/// (the carrier could not deliver it) → Undelivered; failed (Twilio could not send it) → Failed;
/// canceled → Failed. queued, accepted, scheduled, sending and any other status change
/// nothing: the send already counts as Sent, and receipts only move a status forward.
/// </para>
/// <para>
/// Calls (CallSid, CallStatus), asked for with StatusCallbackEvent=completed: completed (answered, the
/// code spoken) → Delivered; busy, no-answer, failed, canceled → Undelivered. Other statuses change nothing.
/// </para>
/// ErrorCode, when Twilio gives one, is the receipt's provider status; otherwise the status itself.
/// The answer is 204 with no body (Twilio wants any 2xx, and reads no TwiML from a status callback).
/// </summary>
internal sealed partial class TwilioReceiptEndpoint(ProviderContext context, ILogger<TwilioReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    private const long MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions Limits = new() { ValueCountLimit = 100, KeyLengthLimit = 100, ValueLengthLimit = 8 * 1024, BufferBody = false };

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var response = http.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var options = context.Settings<TwilioOptions>();
        if (string.IsNullOrEmpty(options.AuthToken) || context.ReceiptUrl is not { } receiptUrl)
        {
            Log.CannotVerify(logger, context.Name);
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = MaxBodyBytes;
        }

        if (!request.HasFormContentType)
        {
            Log.Malformed(logger, context.Name, "not a form");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        IFormCollection form;
        try
        {
            form = await new FormFeature(request, Limits).ReadFormAsync(http.RequestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
        {
            Log.Malformed(logger, context.Name, "unreadable form");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var parameters = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))).ToList();
        var url = receiptUrl.AbsoluteUri + request.QueryString.Value;
        if (!TwilioSignature.IsValid(options.AuthToken, url, parameters, request.Headers[TwilioSignature.Header].ToString()))
        {
            Log.BadSignature(logger, context.Name, http.Connection.RemoteIpAddress?.ToString() ?? "-");
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        string? id;
        string status;
        DeliveryState? state;
        DateTimeOffset? at = null;
        if (!string.IsNullOrEmpty(form["MessageSid"]) && !string.IsNullOrEmpty(form["MessageStatus"]))
        {
            id = form["MessageSid"];
            status = form["MessageStatus"].ToString();
            state = MessageState(status);
        }
        else if (!string.IsNullOrEmpty(form["CallSid"]) && !string.IsNullOrEmpty(form["CallStatus"]))
        {
            id = form["CallSid"];
            status = form["CallStatus"].ToString();
            state = CallState(status);
            at = DateTimeOffset.TryParse(form["Timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp) ? timestamp : null;
        }
        else
        {
            Log.Malformed(logger, context.Name, "neither MessageSid and MessageStatus nor CallSid and CallStatus");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (state is { } known)
        {
            var errorCode = form["ErrorCode"].ToString();
            await context.Receipts.ApplyAsync(
                new DeliveryReceipt(context.Name, id!, known) { ProviderStatus = Printable(string.IsNullOrEmpty(errorCode) ? status : errorCode), At = at },
                http.RequestAborted);
        }
        else
        {
            Log.Ignored(logger, context.Name, Printable(status));
        }

        response.StatusCode = StatusCodes.Status204NoContent;
    }

    internal static DeliveryState? MessageState(string status) => status switch
    {
        "sent" => DeliveryState.Sent,
        "delivered" or "read" => DeliveryState.Delivered,
        "undelivered" => DeliveryState.Undelivered,
        "failed" or "canceled" => DeliveryState.Failed,
        _ => null,
    };

    internal static DeliveryState? CallState(string status) => status switch
    {
        "completed" => DeliveryState.Delivered,
        "busy" or "no-answer" or "failed" or "canceled" => DeliveryState.Undelivered,
        _ => null,
    };

    // Provider-supplied text goes to logs: keep it short and plain.
    private static string Printable(string value)
    {
        var kept = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(32).ToArray());
        return kept.Length == 0 ? "-" : kept;
    }

    private static partial class Log
    {
        [LoggerMessage(455, LogLevel.Warning, "Twilio provider {Provider}: refused a status callback from {RemoteIp} with a missing or wrong X-Twilio-Signature.")]
        public static partial void BadSignature(ILogger logger, string provider, string remoteIp);

        [LoggerMessage(456, LogLevel.Error, "Twilio provider {Provider}: refused a status callback: it cannot be verified without an AuthToken and Verify:Delivery:PublicBaseUrl.")]
        public static partial void CannotVerify(ILogger logger, string provider);

        [LoggerMessage(457, LogLevel.Warning, "Twilio provider {Provider}: refused a status callback: {Reason}.")]
        public static partial void Malformed(ILogger logger, string provider, string reason);

        [LoggerMessage(458, LogLevel.Debug, "Twilio provider {Provider}: status {Status} changes nothing.")]
        public static partial void Ignored(ILogger logger, string provider, string status);
    }
}
