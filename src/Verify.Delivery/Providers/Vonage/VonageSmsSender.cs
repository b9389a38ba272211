using System.Globalization;
using System.Text.Json;
using Verify.Delivery.Sms;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>
/// Sends through the Vonage SMS API: <c>POST {BaseUrl}/sms/json</c>, form-encoded: api_key, api_secret
/// (or timestamp and sig when a signature secret is set), from, to (E.164 without "+"), text,
/// type (text, or unicode when the text is not GSM-7), client-ref (the send id) and callback (the receipt
/// URL, when Verify has a public URL and a way to authenticate receipts).
/// <para>
/// Vonage answers HTTP 200 with one entry per SMS part, each with a status: "0" is accepted. A send is
/// accepted only when every part is; its message id is the first part's. Each part gets its own delivery
/// receipt, but only the first part's id is remembered, so the delivery status follows the first part
/// (receipts of the others find no message and change nothing). A failure names Vonage's status code,
/// never its error-text (it can quote the number); statuses that refuse the message
/// (<see cref="VonageStatusCodes"/>) are rejections the breaker does not count.
/// </para>
/// </summary>
internal sealed partial class VonageSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<VonageSmsSender> logger) : ISmsSender
{
    public string Name => context.Name;

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<VonageOptions>();
        var form = new List<KeyValuePair<string, string>>
        {
            new("api_key", options.ApiKey!),
            new("from", options.From!),
            new("to", message.To.TrimStart('+')),
            new("text", message.Text),
            new("type", SmsEncoding.Analyze(message.Text).Charset == SmsCharset.Gsm7 ? "text" : "unicode"),
            new("client-ref", message.SendId),
        };
        if (CallbackUrl(options, context.ReceiptUrl) is { } callback)
        {
            form.Add(new("callback", callback));
        }

        if (!string.IsNullOrEmpty(options.SignatureSecret) && VonageSignature.TryParseMethod(options.SignatureMethod, out var method))
        {
            form.Add(new("timestamp", timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            form.Add(new(VonageSignature.Parameter, VonageSignature.Compute(options.SignatureSecret, method, form)));
        }
        else
        {
            form.Add(new("api_secret", options.ApiSecret!));
        }

        var url = new Uri($"{options.BaseUrl.AbsoluteUri.TrimEnd('/')}/sms/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                Log.HttpRefused(logger, context.Name, message.MaskedTo, status);
                return SendResult.Failure($"vonage answered HTTP {status}");
            }

            var parts = Read(body)?.Messages;
            if (parts is not { Count: > 0 })
            {
                Log.Unreadable(logger, context.Name, message.MaskedTo, status);
                return SendResult.Failure($"vonage answered HTTP {status} without messages");
            }

            var refused = parts.Where(p => p.Status != "0").ToList();
            if (refused.Count > 0)
            {
                var code = Code(refused[0].Status);
                var meaning = VonageStatusCodes.Meaning(code);
                var messageRefused = VonageStatusCodes.RefusesMessage(code);
                if (refused.Count < parts.Count)
                {
                    Log.PartlySent(logger, context.Name, message.MaskedTo, parts.Count - refused.Count, parts.Count, code);
                    return SendResult.Refused($"vonage status {code}{meaning} on {refused.Count} of {parts.Count} parts", messageRefused);
                }

                Log.Refused(logger, context.Name, message.MaskedTo, code);
                return SendResult.Refused($"vonage status {code}{meaning}", messageRefused);
            }

            if (parts[0].MessageId is { } id && IsMessageId(id))
            {
                return SendResult.Success(id);
            }

            // Every part was taken: another provider must not text the user again; only its receipts cannot be matched.
            Log.NoMessageId(logger, context.Name, message.MaskedTo);
            return SendResult.Success(null);
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, context.Name, message.MaskedTo, exception.Message);
            return SendResult.Failure("vonage unreachable");
        }
    }

    /// <summary>
    /// The per-message callback: the receipt URL, with the receipt token in its query when receipts are
    /// authenticated by token; none when Verify has no public URL or no way to authenticate receipts.
    /// </summary>
    internal static string? CallbackUrl(VonageOptions options, Uri? receiptUrl) =>
        string.IsNullOrEmpty(options.SignatureSecret) ? ReceiptToken.CallbackUrl(receiptUrl, options.ReceiptToken) : receiptUrl?.AbsoluteUri;

    private static VonageSendResponse? Read(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, VonageJsonContext.Default.VonageSendResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Vonage's status is a number; anything else is shown as "?" rather than echoed.
    private static string Code(string? status) => status is { Length: > 0 and <= 4 } && status.All(char.IsAsciiDigit) ? status : "?";

    // The id is stored and matched against receipts: accept only what a Vonage message id looks like.
    private static bool IsMessageId(string id) => id.Length is >= 4 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static partial class Log
    {
        [LoggerMessage(465, LogLevel.Warning, "Vonage provider {Provider} refused the message to {MaskedTo}: status {Status}.")]
        public static partial void Refused(ILogger logger, string provider, string maskedTo, string status);

        [LoggerMessage(466, LogLevel.Warning, "Vonage provider {Provider} refused the message to {MaskedTo}: HTTP {StatusCode}.")]
        public static partial void HttpRefused(ILogger logger, string provider, string maskedTo, int statusCode);

        [LoggerMessage(467, LogLevel.Warning, "Vonage provider {Provider} unreachable for the message to {MaskedTo}: {Reason}")]
        public static partial void Unreachable(ILogger logger, string provider, string maskedTo, string reason);

        [LoggerMessage(468, LogLevel.Error, "Vonage provider {Provider} took only {Accepted} of {Parts} parts of the message to {MaskedTo} (status {Status}); counted as not sent, though the accepted parts may arrive.")]
        public static partial void PartlySent(ILogger logger, string provider, string maskedTo, int accepted, int parts, string status);

        [LoggerMessage(464, LogLevel.Warning, "Vonage provider {Provider} took the message to {MaskedTo} but named no readable message-id: its receipts cannot be matched.")]
        public static partial void NoMessageId(ILogger logger, string provider, string maskedTo);

        [LoggerMessage(469, LogLevel.Error, "Vonage provider {Provider} answered HTTP {StatusCode} for the message to {MaskedTo} with no readable message id; counted as not sent.")]
        public static partial void Unreadable(ILogger logger, string provider, string maskedTo, int statusCode);
    }
}
