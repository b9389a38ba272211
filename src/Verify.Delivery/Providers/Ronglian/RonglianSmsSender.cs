using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>
/// Sends through Ronglian's POST /2013-12-26/Accounts/{AccountSid}/SMS/TemplateSMS?sig=...: the template
/// and its values ("datas") to a mainland China number (national digits), with our send id as reqId.
/// statusCode "000000" is a send named by smsMessageSid; any other statusCode is a failure naming it (a
/// rejection the breaker does not count when the code refuses this message, <see cref="RonglianErrorCodes"/>).
/// </summary>
internal sealed partial class RonglianSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<RonglianSmsSender> logger) : ISmsSender
{
    private const string Success = "000000";

    private static readonly RonglianJsonContext Json = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) });

    public string Name => context.Name;

    public bool CanServe(string purpose, string regionCode, DeliveryChannel channel) => channel == DeliveryChannel.Sms && regionCode == "CN";

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<RonglianOptions>();
        if (message.Channel != DeliveryChannel.Sms || message.Phone.CountryCallingCode != 86)
        {
            return SendResult.Rejected("ronglian: SMS to mainland China only");
        }

        if (ProviderTemplates.Resolve(options.Templates, message, byLanguage: false) is not { } templateId)
        {
            Log.NoTemplate(logger, message.TemplateId);
            return ProviderTemplates.NoTemplate("ronglian", message);
        }

        if (!ProviderTemplates.TryValues(options.TemplateParameters ?? RonglianOptions.DefaultTemplateParameters, message, out var values, out var missing))
        {
            return SendResult.Rejected($"ronglian: the message has no {missing} for the template");
        }

        var timestamp = RonglianSigner.Timestamp(timeProvider.GetUtcNow());
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new RonglianRequest(message.Phone.NationalNumber, options.AppId!, templateId, values, message.SendId),
            Json.RonglianRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(options.BaseUrl, options.AccountSid!, RonglianSigner.Sig(options.AccountSid!, options.AuthToken!, timestamp)))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Authorization", RonglianSigner.Authorization(options.AccountSid!, timestamp));

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return Interpret((int)response.StatusCode, answer, message);
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, message.MaskedTo, exception.HttpRequestError);
            return SendResult.Failure("ronglian unreachable");
        }
    }

    internal static Uri Endpoint(Uri baseUrl, string accountSid, string sig) =>
        new($"{baseUrl.AbsoluteUri.TrimEnd('/')}/2013-12-26/Accounts/{Uri.EscapeDataString(accountSid)}/SMS/TemplateSMS?sig={sig}");

    private SendResult Interpret(int httpStatus, byte[] body, SmsMessage message)
    {
        RonglianResponse? answer = null;
        try
        {
            answer = JsonSerializer.Deserialize(body, Json.RonglianResponse);
        }
        catch (JsonException)
        {
            // Not Ronglian's JSON (a proxy's error page): the HTTP status is all there is to say.
        }

        if (answer?.StatusCode is not { Length: > 0 and <= 16 } code || !code.All(char.IsAsciiLetterOrDigit))
        {
            Log.Unreadable(logger, message.MaskedTo, httpStatus);
            return SendResult.Failure($"ronglian HTTP {httpStatus}");
        }

        if (code != Success)
        {
            Log.Refused(logger, message.MaskedTo, code, httpStatus);
            return SendResult.Refused($"ronglian {code}", RonglianErrorCodes.RefusesMessage(code));
        }

        if (answer.TemplateSms?.SmsMessageSid is not { Length: > 0 } id)
        {
            // Taken, so another provider must not send it again; its status reports just cannot be matched.
            Log.NoMessageId(logger, message.MaskedTo);
            return SendResult.Success(null);
        }

        return SendResult.Success(id);
    }

    private static partial class Log
    {
        [LoggerMessage(530, LogLevel.Warning, "Ronglian has no template for {TemplateId}: add it to Templates.")]
        public static partial void NoTemplate(ILogger logger, string templateId);

        [LoggerMessage(531, LogLevel.Warning, "Ronglian refused the message to {MaskedTo}: {Code} (HTTP {StatusCode}).")]
        public static partial void Refused(ILogger logger, string maskedTo, string code, int statusCode);

        [LoggerMessage(532, LogLevel.Warning, "Ronglian answered the message to {MaskedTo} with HTTP {StatusCode} and no readable result.")]
        public static partial void Unreadable(ILogger logger, string maskedTo, int statusCode);

        [LoggerMessage(534, LogLevel.Warning, "Ronglian took the message to {MaskedTo} but named no smsMessageSid: its status reports cannot be matched.")]
        public static partial void NoMessageId(ILogger logger, string maskedTo);

        [LoggerMessage(533, LogLevel.Warning, "Ronglian unreachable for the message to {MaskedTo}: {Error}.")]
        public static partial void Unreachable(ILogger logger, string maskedTo, HttpRequestError error);
    }
}
