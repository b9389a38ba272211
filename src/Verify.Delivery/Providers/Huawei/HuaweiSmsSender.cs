using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>
/// Sends through Huawei Cloud's batchSendSms v1: a form POST of from, to (E.164), templateId,
/// templateParas (a JSON array of the placeholder values), statusCallback (our receipt URL with its token)
/// and signature, authenticated with an X-WSSE UsernameToken. "000000" with one result is a send, whose
/// smsMsgId status reports name; any other code is a failure naming the code (a rejection the breaker does
/// not count when the code refuses this message, <see cref="HuaweiErrorCodes"/>).
/// </summary>
internal sealed partial class HuaweiSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<HuaweiSmsSender> logger) : ISmsSender
{
    public const string Path = "sms/batchSendSms/v1";

    private const string Success = "000000";

    // Placeholder values (a payee's name) stay readable to Huawei instead of \u escapes.
    private static readonly HuaweiJsonContext Json = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) });

    public string Name => context.Name;

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<HuaweiOptions>();
        if (message.Channel != DeliveryChannel.Sms)
        {
            return SendResult.Rejected("huawei: SMS only");
        }

        if (ProviderTemplates.Resolve(options.Templates, message, byLanguage: false) is not { } templateId)
        {
            Log.NoTemplate(logger, message.TemplateId);
            return ProviderTemplates.NoTemplate("huawei", message);
        }

        if (!ProviderTemplates.TryValues(options.TemplateParameters ?? HuaweiOptions.DefaultTemplateParameters, message, out var values, out var missing))
        {
            return SendResult.Rejected($"huawei: the message has no {missing} for the template");
        }

        var fields = new List<KeyValuePair<string, string>>
        {
            new("from", options.Sender!),
            new("to", message.To),
            new("templateId", templateId),
            new("templateParas", JsonSerializer.Serialize(values, Json.StringArray)),
        };
        if (ReceiptToken.CallbackUrl(context.ReceiptUrl, options.ReceiptToken) is { } callback)
        {
            fields.Add(new("statusCallback", callback));
        }

        if (!string.IsNullOrEmpty(options.Signature))
        {
            fields.Add(new("signature", options.Signature));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(options.BaseUrl!)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Authorization", HuaweiWsse.Authorization);
        request.Headers.TryAddWithoutValidation("X-WSSE", HuaweiWsse.Header(options.AppKey!, options.AppSecret!, HuaweiWsse.NewNonce(), timeProvider.GetUtcNow()));

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return Interpret((int)response.StatusCode, body, message);
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, message.MaskedTo, exception.HttpRequestError);
            return SendResult.Failure("huawei unreachable");
        }
    }

    internal static Uri Endpoint(Uri baseUrl) => new(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), Path);

    private SendResult Interpret(int httpStatus, byte[] body, SmsMessage message)
    {
        HuaweiResponse? answer = null;
        try
        {
            answer = JsonSerializer.Deserialize(body, Json.HuaweiResponse);
        }
        catch (JsonException)
        {
            // Not Huawei's JSON (a proxy's error page): the HTTP status is all there is to say.
        }

        if (answer?.Code is not { } code || !IsPrintableCode(code))
        {
            Log.Unreadable(logger, message.MaskedTo, httpStatus);
            return SendResult.Failure($"huawei HTTP {httpStatus}");
        }

        if (code != Success)
        {
            Log.Refused(logger, message.MaskedTo, code, httpStatus);
            return SendResult.Refused($"huawei {code}", HuaweiErrorCodes.RefusesMessage(code));
        }

        var result = answer.Result is { Count: > 0 } results ? results[0] : null;
        if (result?.Status is { } status && status != Success && IsPrintableCode(status))
        {
            Log.Refused(logger, message.MaskedTo, status, httpStatus);
            return SendResult.Refused($"huawei {status}", HuaweiErrorCodes.RefusesMessage(status));
        }

        if (result?.SmsMsgId is not { Length: > 0 } id)
        {
            // Taken, so another provider must not send it again; its status reports just cannot be matched.
            Log.NoMessageId(logger, message.MaskedTo);
            return SendResult.Success(null);
        }

        return SendResult.Success(id);
    }

    private static bool IsPrintableCode(string code) => code.Length is > 0 and <= 16 && code.All(char.IsAsciiLetterOrDigit);

    private static partial class Log
    {
        [LoggerMessage(510, LogLevel.Warning, "Huawei has no template for {TemplateId}: add it to Templates.")]
        public static partial void NoTemplate(ILogger logger, string templateId);

        [LoggerMessage(511, LogLevel.Warning, "Huawei refused the message to {MaskedTo}: {Code} (HTTP {StatusCode}).")]
        public static partial void Refused(ILogger logger, string maskedTo, string code, int statusCode);

        [LoggerMessage(512, LogLevel.Warning, "Huawei answered the message to {MaskedTo} with HTTP {StatusCode} and no readable result.")]
        public static partial void Unreadable(ILogger logger, string maskedTo, int statusCode);

        [LoggerMessage(514, LogLevel.Warning, "Huawei took the message to {MaskedTo} but named no smsMsgId: its status reports cannot be matched.")]
        public static partial void NoMessageId(ILogger logger, string maskedTo);

        [LoggerMessage(513, LogLevel.Warning, "Huawei unreachable for the message to {MaskedTo}: {Error}.")]
        public static partial void Unreachable(ILogger logger, string maskedTo, HttpRequestError error);
    }
}
