using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Verify.Server.Delivery.Providers;

namespace Verify.Server.Delivery;

/// <summary>
/// POSTs each message as JSON to the configured URL; any 2xx answer is a send, anything else (status,
/// connection error) a failure. Body fields: to, text, verification_id, purpose, locale, channel,
/// template_id, template_params, send_id. The router bounds the time a send may take.
/// </summary>
internal sealed partial class WebhookSmsSender(ProviderContext context, IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<WebhookSmsSender> logger) : ISmsSender
{
    public const string SignatureHeader = "X-Verify-Signature";

    public string Name => context.Name;

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var webhook = context.Settings<WebhookOptions>();
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(
            message.To, message.Text, message.VerificationId, message.Purpose, message.Locale, message.Channel == DeliveryChannel.Voice ? "voice" : "sms", message.TemplateId, message.TemplateParameters, message.SendId),
            WebhookJsonContext.Default.WebhookPayload);

        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.SendId);
        if (webhook.SigningSecret is { } secret)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, body, timeProvider.GetUtcNow()));
        }

        try
        {
            using var response = await httpClients.CreateClient(DeliveryHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Success();
            }

            Log.Refused(logger, message.MaskedTo, (int)response.StatusCode);
            return SendResult.Failure($"webhook answered HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException exception)
        {
            Log.Unreachable(logger, message.MaskedTo, exception.Message);
            return SendResult.Failure("webhook unreachable");
        }
    }

    /// <summary>Stripe-style: the timestamp is signed with the body, so a captured request cannot be replayed later.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Webhook refused the message to {MaskedTo}: HTTP {StatusCode}.")]
        public static partial void Refused(ILogger logger, string maskedTo, int statusCode);

        [LoggerMessage(302, LogLevel.Warning, "Webhook unreachable for the message to {MaskedTo}: {Reason}")]
        public static partial void Unreachable(ILogger logger, string maskedTo, string reason);
    }
}
