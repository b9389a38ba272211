using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// Sends through Alibaba Cloud SendSms (Dysmsapi 2017-05-25, RPC style, signature 1.0): POST {BaseUrl}/
/// with the common parameters and Signature in the query, and the operation's parameters (PhoneNumbers,
/// SignName, TemplateCode, TemplateParam, OutId) form-encoded in the body, so the code and the number stay
/// out of URLs that proxies log. Both parts are signed together. Code "OK" is a send whose BizId the
/// delivery reports name; any other code is a failure "aliyun {Code}" (a rejection the breaker does not
/// count when the code refuses this message, <see cref="AliyunErrorCodes"/>).
/// </summary>
internal sealed partial class AliyunSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<AliyunSmsSender> logger) : ISmsSender
{
    public const string Action = "SendSms";

    public const string ApiVersion = "2017-05-25";

    /// <summary>Alibaba Cloud's codes ("isv.BUSINESS_LIMIT_CONTROL", "DELIVERED") fit in 64 characters.</summary>
    internal const int MaxCodeLength = 64;

    private const string ChinaCallingCode = "86";

    public string Name => context.Name;

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var options = context.Settings<AliyunOptions>();
        if (message.Channel != DeliveryChannel.Sms)
        {
            return SendResult.Rejected("aliyun: SMS only");
        }

        if (options.TemplateFor(message) is not { } templateCode)
        {
            Log.NoTemplate(logger, context.Name, message.TemplateId);
            return ProviderTemplates.NoTemplate("aliyun", message);
        }

        var common = CommonParameters(options, timeProvider.GetUtcNow(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var operation = new List<KeyValuePair<string, string>>
        {
            new("PhoneNumbers", PhoneNumbers(message)),
            new("SignName", options.SignName!),
            new("TemplateCode", templateCode),
            new("TemplateParam", JsonSerializer.Serialize(options.TemplateParamFor(message), AliyunJsonContext.Default.DictionaryStringString)),
            new("OutId", message.SendId),
        };
        var signature = AliyunRpcSigner.Sign(options.AccessKeySecret!, AliyunRpcSigner.StringToSign("POST", common.Concat(operation)));
        common.Add(new("Signature", signature));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "/?" + FormEncode(common)))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(FormEncode(operation))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var answer = await ReadAnswerAsync(response, cancellationToken);
            if (answer is { Code: "OK" })
            {
                if (string.IsNullOrEmpty(answer.BizId))
                {
                    // Taken, so another provider must not send it again; its receipts just cannot be matched.
                    Log.NoBizId(logger, context.Name, message.MaskedTo);
                }

                return SendResult.Success(answer.BizId);
            }

            var code = ProviderCodes.Printable(answer?.Code, MaxCodeLength);
            Log.Refused(logger, context.Name, message.MaskedTo, (int)response.StatusCode, code ?? "-", ProviderCodes.Printable(answer?.RequestId, MaxCodeLength) ?? "-");
            return SendResult.Refused(code is null ? $"aliyun answered HTTP {(int)response.StatusCode}" : $"aliyun {code}", AliyunErrorCodes.RefusesMessage(code));
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, context.Name, message.MaskedTo, exception.Message);
            return SendResult.Failure("aliyun unreachable");
        }
    }

    /// <summary>The common parameters of an RPC call, in the documented order (the signer sorts them).</summary>
    internal static List<KeyValuePair<string, string>> CommonParameters(AliyunOptions options, DateTimeOffset now, string nonce) =>
    [
        new("AccessKeyId", options.AccessKeyId!),
        new("Action", Action),
        new("Format", "JSON"),
        new("RegionId", options.RegionId),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", nonce),
        new("SignatureVersion", "1.0"),
        new("Timestamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        new("Version", ApiVersion),
    ];

    /// <summary>Chinese mainland numbers as the 11 national digits; others as country code and number, without '+'.</summary>
    internal static string PhoneNumbers(SmsMessage message)
    {
        var countryCode = message.Phone.CountryCallingCode.ToString(CultureInfo.InvariantCulture);
        return countryCode == ChinaCallingCode ? message.Phone.NationalNumber : countryCode + message.Phone.NationalNumber;
    }

    private static string FormEncode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{AliyunRpcSigner.PercentEncode(p.Key)}={AliyunRpcSigner.PercentEncode(p.Value)}"));

    /// <summary>The JSON answer, whatever the HTTP status (errors come as 4xx with a Code); null when it is not one.</summary>
    private static async Task<AliyunSendSmsResponse?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonSerializer.Deserialize(body, AliyunJsonContext.Default.AliyunSendSmsResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(480, LogLevel.Error, "Provider {Provider} has no Aliyun template for {TemplateId}: map it (or its purpose) under Templates.")]
        public static partial void NoTemplate(ILogger logger, string provider, string templateId);

        [LoggerMessage(481, LogLevel.Warning, "Provider {Provider} (Aliyun) refused the message to {MaskedTo}: HTTP {StatusCode}, code {Code}, request {RequestId}.")]
        public static partial void Refused(ILogger logger, string provider, string maskedTo, int statusCode, string code, string requestId);

        [LoggerMessage(482, LogLevel.Warning, "Provider {Provider} (Aliyun) unreachable for the message to {MaskedTo}: {Reason}")]
        public static partial void Unreachable(ILogger logger, string provider, string maskedTo, string reason);

        [LoggerMessage(483, LogLevel.Warning, "Provider {Provider} (Aliyun) took the message to {MaskedTo} but named no BizId: its delivery reports cannot be matched.")]
        public static partial void NoBizId(ILogger logger, string provider, string maskedTo);
    }
}
