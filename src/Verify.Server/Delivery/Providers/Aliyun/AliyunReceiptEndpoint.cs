using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Verify.Server.Verification;

namespace Verify.Server.Delivery.Providers.Aliyun;

/// <summary>
/// Takes Alibaba Cloud's SmsReport HTTP batch push: POST, a JSON array of reports. The push is not
/// signed, so the URL configured at the console carries <see cref="AliyunOptions.ReceiptToken"/> as
/// <c>?token=</c>; anything else is 403 and changes nothing. success true is Delivered, false Undelivered
/// (err_code kept as the provider status); the message is named by biz_id. A body that is not a JSON
/// array of objects is 400 (and nothing of it is applied); a report without biz_id or success is skipped.
/// The answer is HTTP 200 with {"code":0,"msg":"接收成功"}; when the receipts cannot be stored, 500, so
/// Alibaba Cloud pushes again (it retries after 1, 5 and 10 minutes).
/// </summary>
internal sealed partial class AliyunReceiptEndpoint(ProviderContext context, ILogger<AliyunReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    public const string TokenParameter = "token";

    /// <summary>The answer SmsReport documents; it only checks that code is a number.</summary>
    public static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"code":0,"msg":"接收成功"}""");

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var options = context.Settings<AliyunOptions>();
        if (!TokenMatches(options.ReceiptToken, http.Request.Query[TokenParameter]))
        {
            Log.Refused(logger, context.Name, options.ReceiptToken is null);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        List<AliyunSmsReport?>? reports;
        try
        {
            reports = await JsonSerializer.DeserializeAsync(http.Request.Body, AliyunJsonContext.Default.ListAliyunSmsReport, http.RequestAborted);
        }
        catch (JsonException)
        {
            reports = null;
        }

        if (reports is null || reports.Any(r => r is null))
        {
            Log.Malformed(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        try
        {
            foreach (var report in reports)
            {
                if (string.IsNullOrEmpty(report!.BizId) || report.Success is not { } success)
                {
                    Log.Skipped(logger, context.Name);
                    continue;
                }

                await context.Receipts.ApplyAsync(
                    new DeliveryReceipt(context.Name, report.BizId, success ? DeliveryState.Delivered : DeliveryState.Undelivered)
                    {
                        ProviderStatus = AliyunCodes.Printable(report.ErrCode),
                        At = BeijingTime(report.ReportTime),
                    },
                    http.RequestAborted);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.NotStored(logger, context.Name, exception);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(Answer, http.RequestAborted);
    }

    /// <summary>Constant time over hashes, so neither the content nor the length of the token leaks.</summary>
    internal static bool TokenMatches(string? expected, string? presented) =>
        expected is { Length: > 0 } && presented is { Length: > 0 } &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>"2017-01-01 00:00:00" in Beijing time (UTC+8), as the reports give it; null when it is not that.</summary>
    internal static DateTimeOffset? BeijingTime(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, BeijingOffset)
            : null;

    private static partial class Log
    {
        [LoggerMessage(485, LogLevel.Warning, "Provider {Provider} (Aliyun): a delivery report push without the right token was refused (no ReceiptToken configured: {NoToken}).")]
        public static partial void Refused(ILogger logger, string provider, bool noToken);

        [LoggerMessage(486, LogLevel.Warning, "Provider {Provider} (Aliyun): a delivery report push that is not a JSON array of reports was refused.")]
        public static partial void Malformed(ILogger logger, string provider);

        [LoggerMessage(487, LogLevel.Warning, "Provider {Provider} (Aliyun): a delivery report without biz_id or success was skipped.")]
        public static partial void Skipped(ILogger logger, string provider);

        [LoggerMessage(488, LogLevel.Error, "Provider {Provider} (Aliyun): delivery reports could not be stored; answered 500 so they are pushed again.")]
        public static partial void NotStored(ILogger logger, string provider, Exception exception);
    }
}
