using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>
/// Sends the rendered text through Chuanglan 253's POST /msg/send/json to a mainland China number
/// (national digits), signature in 【】 first, asking for a status report and passing our send id as uid.
/// Code "0" is a send named by msgId; any other code is a failure naming it (a rejection the breaker does
/// not count when the code refuses this message, <see cref="ChuanglanErrorCodes"/>).
/// </summary>
internal sealed partial class ChuanglanSmsSender(ProviderContext context, IHttpClientFactory httpClients, ILogger<ChuanglanSmsSender> logger) : ISmsSender
{
    public const string Path = "msg/send/json";

    // The text is Chinese: sent as is rather than as \u escapes.
    private static readonly ChuanglanJsonContext Json = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) });

    public string Name => context.Name;

    public bool CanServe(string purpose, string regionCode, DeliveryChannel channel) => channel == DeliveryChannel.Sms && regionCode == "CN";

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<ChuanglanOptions>();
        if (message.Channel != DeliveryChannel.Sms || message.Phone.CountryCallingCode != 86)
        {
            return SendResult.Rejected("chuanglan: SMS to mainland China only");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ChuanglanRequest(options.Account!, options.Password!, Text(message.Text, options.Signature), message.Phone.NationalNumber, "true", message.SendId),
            Json.ChuanglanRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(options.BaseUrl)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return Interpret((int)response.StatusCode, answer, message);
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, message.MaskedTo, exception.HttpRequestError);
            return SendResult.Failure("chuanglan unreachable");
        }
    }

    internal static Uri Endpoint(Uri baseUrl) => new(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), Path);

    /// <summary>Operators require the signature in 【】 at the start; a text that already has one keeps it.</summary>
    internal static string Text(string text, string? signature) =>
        string.IsNullOrEmpty(signature) || text.StartsWith('【') ? text : $"【{signature}】{text}";

    private SendResult Interpret(int httpStatus, byte[] body, SmsMessage message)
    {
        ChuanglanResponse? answer = null;
        try
        {
            answer = JsonSerializer.Deserialize(body, Json.ChuanglanResponse);
        }
        catch (JsonException)
        {
            // Not Chuanglan's JSON (a proxy's error page): the HTTP status is all there is to say.
        }

        var code = answer?.Code.ValueKind switch
        {
            JsonValueKind.String => answer.Code.GetString(),
            JsonValueKind.Number => answer.Code.GetRawText(),
            _ => null,
        };
        if (code is null || code.Length is 0 or > 8 || !code.All(char.IsAsciiDigit))
        {
            Log.Unreadable(logger, message.MaskedTo, httpStatus);
            return SendResult.Failure($"chuanglan HTTP {httpStatus}");
        }

        if (code != "0")
        {
            Log.Refused(logger, message.MaskedTo, code, httpStatus);
            return SendResult.Refused($"chuanglan code {code}", ChuanglanErrorCodes.RefusesMessage(code));
        }

        if (answer!.MsgId is not { Length: > 0 } id)
        {
            // Taken, so another provider must not send it again; its status reports just cannot be matched.
            Log.NoMessageId(logger, message.MaskedTo);
            return SendResult.Success(null);
        }

        return SendResult.Success(id);
    }

    private static partial class Log
    {
        [LoggerMessage(520, LogLevel.Warning, "Chuanglan refused the message to {MaskedTo}: code {Code} (HTTP {StatusCode}).")]
        public static partial void Refused(ILogger logger, string maskedTo, string code, int statusCode);

        [LoggerMessage(521, LogLevel.Warning, "Chuanglan answered the message to {MaskedTo} with HTTP {StatusCode} and no readable result.")]
        public static partial void Unreadable(ILogger logger, string maskedTo, int statusCode);

        [LoggerMessage(523, LogLevel.Warning, "Chuanglan took the message to {MaskedTo} but named no msgId: its status reports cannot be matched.")]
        public static partial void NoMessageId(ILogger logger, string maskedTo);

        [LoggerMessage(522, LogLevel.Warning, "Chuanglan unreachable for the message to {MaskedTo}: {Error}.")]
        public static partial void Unreachable(ILogger logger, string maskedTo, HttpRequestError error);
    }
}
