using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// Sends through Tencent Cloud SMS SendSms (API 3.0, version 2021-01-11): POST {BaseUrl}/ with a JSON body
/// (PhoneNumberSet [E.164], SmsSdkAppId, SignName, TemplateId, TemplateParamSet, SessionContext = the send
/// id, SenderId abroad) and the X-TC-* headers, signed with TC3-HMAC-SHA256 over content-type, host and
/// x-tc-action. The number's Code "Ok" is a send whose SerialNo the status callbacks name (as sid); a
/// call-level Error or any other per-number Code is a failure "tencent {Code}" (a rejection the breaker does
/// not count when the code refuses this message, <see cref="TencentErrorCodes"/>).
/// </summary>
internal sealed partial class TencentSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<TencentSmsSender> logger) : ISmsSender
{
    public const string Action = "SendSms";

    public const string ApiVersion = "2021-01-11";

    public const string Service = "sms";

    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>Tencent Cloud's codes ("LimitExceeded.PhoneNumberDailyLimit", "DELIVRD") fit in 80 characters.</summary>
    internal const int MaxCodeLength = 80;

    private const int ChinaCallingCode = 86;

    public string Name => context.Name;

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<TencentOptions>();
        if (message.Channel != DeliveryChannel.Sms)
        {
            return SendResult.Rejected("tencent: SMS only");
        }

        if (options.TemplateFor(message) is not { } templateId)
        {
            Log.NoTemplate(logger, context.Name, message.TemplateId);
            return ProviderTemplates.NoTemplate("tencent", message);
        }

        var parameters = options.TemplateParamSetFor(message, out var missing);
        if (missing is not null)
        {
            Log.MissingParameter(logger, context.Name, message.TemplateId, missing);
            return SendResult.Rejected($"tencent: {message.TemplateId} has no parameter {missing}");
        }

        var mainland = message.Phone.CountryCallingCode == ChinaCallingCode;
        if (mainland && string.IsNullOrEmpty(options.SignName))
        {
            Log.NoSignName(logger, context.Name);
            return SendResult.Rejected("tencent: SignName is required for Chinese mainland numbers");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new TencentSendSmsRequest(
                [message.To],
                options.SmsSdkAppId!,
                string.IsNullOrEmpty(options.SignName) ? null : options.SignName,
                templateId,
                parameters,
                message.SendId,
                mainland || string.IsNullOrEmpty(options.SenderId) ? null : options.SenderId),
            TencentJsonContext.Default.TencentSendSmsRequest);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var authorization = TencentTc3Signer.Authorization(
            options.SecretId!,
            options.SecretKey!,
            Service,
            timestamp,
            "POST",
            [new("content-type", ContentType), new("host", options.BaseUrl.Authority), new("x-tc-action", Action)],
            payload);

        using var request = new HttpRequestMessage(HttpMethod.Post, options.BaseUrl) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("X-TC-Action", Action);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Version", ApiVersion);
        request.Headers.TryAddWithoutValidation("X-TC-Region", options.Region);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = (await ReadAnswerAsync(response, cancellationToken))?.Response;
            var requestId = ProviderCodes.Printable(body?.RequestId, MaxCodeLength) ?? "-";
            if (body?.Error is { } error)
            {
                return Refused(message, (int)response.StatusCode, ProviderCodes.Printable(error.Code, MaxCodeLength), requestId);
            }

            if (body?.SendStatusSet is [{ } status, ..])
            {
                if (status.Code == "Ok")
                {
                    if (string.IsNullOrEmpty(status.SerialNo))
                    {
                        // Taken, so another provider must not send it again; its callbacks just cannot be matched.
                        Log.NoSerialNo(logger, context.Name, message.MaskedTo);
                    }

                    return SendResult.Success(status.SerialNo);
                }

                return Refused(message, (int)response.StatusCode, ProviderCodes.Printable(status.Code, MaxCodeLength), requestId);
            }

            return Refused(message, (int)response.StatusCode, code: null, requestId);
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, context.Name, message.MaskedTo, exception.Message);
            return SendResult.Failure("tencent unreachable");
        }
    }

    private SendResult Refused(SmsMessage message, int statusCode, string? code, string requestId)
    {
        Log.Refused(logger, context.Name, message.MaskedTo, statusCode, code ?? "-", requestId);
        return code is null
            ? SendResult.Failure($"tencent answered HTTP {statusCode} without a send status")
            : SendResult.Refused($"tencent {code}", TencentErrorCodes.RefusesMessage(code));
    }

    private static async Task<TencentSendSmsResponse?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonSerializer.Deserialize(body, TencentJsonContext.Default.TencentSendSmsResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(490, LogLevel.Error, "Provider {Provider} has no Tencent template for {TemplateId}: map it (or its purpose) under Templates.")]
        public static partial void NoTemplate(ILogger logger, string provider, string templateId);

        [LoggerMessage(491, LogLevel.Error, "Provider {Provider} (Tencent): {TemplateId} has no parameter {Parameter}, which TemplateParameters lists.")]
        public static partial void MissingParameter(ILogger logger, string provider, string templateId, string parameter);

        [LoggerMessage(492, LogLevel.Error, "Provider {Provider} (Tencent) has no SignName, which Chinese mainland numbers require.")]
        public static partial void NoSignName(ILogger logger, string provider);

        [LoggerMessage(493, LogLevel.Warning, "Provider {Provider} (Tencent) refused the message to {MaskedTo}: HTTP {StatusCode}, code {Code}, request {RequestId}.")]
        public static partial void Refused(ILogger logger, string provider, string maskedTo, int statusCode, string code, string requestId);

        [LoggerMessage(494, LogLevel.Warning, "Provider {Provider} (Tencent) unreachable for the message to {MaskedTo}: {Reason}")]
        public static partial void Unreachable(ILogger logger, string provider, string maskedTo, string reason);

        [LoggerMessage(499, LogLevel.Warning, "Provider {Provider} (Tencent) took the message to {MaskedTo} but named no SerialNo: its status callbacks cannot be matched.")]
        public static partial void NoSerialNo(ILogger logger, string provider, string maskedTo);
    }
}
