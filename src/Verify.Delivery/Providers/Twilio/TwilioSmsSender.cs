using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// Sends through Twilio's REST API (2010-04-01): an SMS is a Message resource
/// (<c>POST /Accounts/{AccountSid}/Messages.json</c>: To, From or MessagingServiceSid, Body,
/// StatusCallback); a voice code is a Call resource (<c>POST /Accounts/{AccountSid}/Calls.json</c>: To,
/// From = VoiceFrom, Twiml, StatusCallback with StatusCallbackEvent=completed). Form-encoded, HTTP Basic
/// auth. A 2xx with the resource's SID is a send; anything else a failure naming Twilio's error code
/// and the HTTP status, never Twilio's message (it can quote the number).
/// </summary>
internal sealed partial class TwilioSmsSender(ProviderContext context, IHttpClientFactory httpClients, ILogger<TwilioSmsSender> logger) : ISmsSender
{
    public const string ApiVersion = "2010-04-01";

    public string Name => context.Name;

    public bool CanServe(string purpose, string regionCode, DeliveryChannel channel) =>
        channel == DeliveryChannel.Sms || !string.IsNullOrEmpty(context.Settings<TwilioOptions>().VoiceFrom);

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<TwilioOptions>();

        // Callbacks are signed with the Auth Token: without it none could be told from a forgery.
        var callback = string.IsNullOrEmpty(options.AuthToken) ? null : context.ReceiptUrl;
        List<KeyValuePair<string, string>> form;
        string resource;
        if (message.Channel == DeliveryChannel.Voice)
        {
            if (string.IsNullOrEmpty(options.VoiceFrom))
            {
                Log.NoVoiceNumber(logger, context.Name);
                return SendResult.Rejected("twilio: no VoiceFrom configured for voice calls");
            }

            if (TwilioVoiceScript.Build(message) is not { } twiml)
            {
                return SendResult.Rejected("twilio: the voice message has no code to speak");
            }

            resource = "Calls.json";
            form = [new("To", message.To), new("From", options.VoiceFrom), new("Twiml", twiml)];
            if (callback is not null)
            {
                form.Add(new("StatusCallback", callback.AbsoluteUri));
                form.Add(new("StatusCallbackEvent", "completed"));
                form.Add(new("StatusCallbackMethod", "POST"));
            }
        }
        else
        {
            resource = "Messages.json";
            form = [new("To", message.To)];
            form.Add(string.IsNullOrEmpty(options.MessagingServiceSid) ? new("From", options.From!) : new("MessagingServiceSid", options.MessagingServiceSid));
            form.Add(new("Body", message.Text));
            if (callback is not null)
            {
                form.Add(new("StatusCallback", callback.AbsoluteUri));
            }
        }

        var url = new Uri($"{options.BaseUrl.AbsoluteUri.TrimEnd('/')}/{ApiVersion}/Accounts/{Uri.EscapeDataString(options.AccountSid!)}/{resource}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = BasicAuthorization(options);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                if (Read(body, TwilioJsonContext.Default.TwilioResource)?.Sid is { } sid && IsSid(sid))
                {
                    return SendResult.Success(sid);
                }

                // Twilio created the resource: another provider must not text the user again; its
                // status callbacks just cannot be matched.
                Log.NoSid(logger, context.Name, message.MaskedTo, status);
                return SendResult.Success(null);
            }

            var code = Read(body, TwilioJsonContext.Default.TwilioError)?.Code;
            Log.Refused(logger, context.Name, message.MaskedTo, message.Channel, status, code);
            return SendResult.Refused(
                code is null ? $"twilio answered HTTP {status}" : $"twilio error {code} (HTTP {status})",
                TwilioErrorCodes.RefusesMessage(status, code));
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, context.Name, message.MaskedTo, exception.Message);
            return SendResult.Failure("twilio unreachable");
        }
    }

    private static AuthenticationHeaderValue BasicAuthorization(TwilioOptions options)
    {
        var (user, password) = string.IsNullOrEmpty(options.ApiKeySid)
            ? (options.AccountSid!, options.AuthToken!)
            : (options.ApiKeySid, options.ApiKeySecret!);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    private static T? Read<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The id is stored and matched against receipts: accept only what a SID looks like.
    private static bool IsSid(string sid) => sid.Length is >= 4 and <= 64 && sid.All(char.IsAsciiLetterOrDigit);

    private static partial class Log
    {
        [LoggerMessage(450, LogLevel.Warning, "Twilio provider {Provider} refused the {Channel} to {MaskedTo}: HTTP {StatusCode}, Twilio error {ErrorCode}.")]
        public static partial void Refused(ILogger logger, string provider, string maskedTo, DeliveryChannel channel, int statusCode, int? errorCode);

        [LoggerMessage(451, LogLevel.Warning, "Twilio provider {Provider} unreachable for the message to {MaskedTo}: {Reason}")]
        public static partial void Unreachable(ILogger logger, string provider, string maskedTo, string reason);

        [LoggerMessage(452, LogLevel.Warning, "Twilio provider {Provider} answered HTTP {StatusCode} for the message to {MaskedTo} without a readable sid; taken as sent, its status callbacks cannot be matched.")]
        public static partial void NoSid(ILogger logger, string provider, string maskedTo, int statusCode);

        [LoggerMessage(453, LogLevel.Error, "Twilio provider {Provider} was asked to call, but has no VoiceFrom number configured.")]
        public static partial void NoVoiceNumber(ILogger logger, string provider);
    }
}
