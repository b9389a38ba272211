using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Verify.Server.Verification;

namespace Verify.Server.Delivery.Providers.Tencent;

/// <summary>
/// Takes Tencent Cloud's SMS delivery status callback: POST, a JSON array of reports. The callback is not
/// signed, so the URL configured at the console carries <see cref="TencentOptions.ReceiptToken"/> as
/// <c>?token=</c>; anything else is 403 and changes nothing. report_status SUCCESS is Delivered, FAIL
/// Undelivered (errmsg, e.g. "DELIVRD", kept as the provider status); the message is named by sid
/// (SendSms's SerialNo). A body that is not a JSON array of objects is 400 (nothing of it applied); a
/// report without sid or with another status is skipped. The answer is HTTP 200 with
/// {"result":0,"errmsg":"OK"}; when the receipts cannot be stored, 500.
/// </summary>
internal sealed partial class TencentReceiptEndpoint(ProviderContext context, ILogger<TencentReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    public const string TokenParameter = "token";

    /// <summary>The answer the callback documents: result 0 is success.</summary>
    public static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"result":0,"errmsg":"OK"}""");

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var options = context.Settings<TencentOptions>();
        if (!TokenMatches(options.ReceiptToken, http.Request.Query[TokenParameter]))
        {
            Log.Refused(logger, context.Name, options.ReceiptToken is null);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        List<TencentStatusReport?>? reports;
        try
        {
            reports = await JsonSerializer.DeserializeAsync(http.Request.Body, TencentJsonContext.Default.ListTencentStatusReport, http.RequestAborted);
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
                DeliveryState? state = report!.ReportStatus switch
                {
                    "SUCCESS" => DeliveryState.Delivered,
                    "FAIL" => DeliveryState.Undelivered,
                    _ => null,
                };
                if (string.IsNullOrEmpty(report.Sid) || state is null)
                {
                    Log.Skipped(logger, context.Name, TencentCodes.Printable(report.ReportStatus) ?? "-");
                    continue;
                }

                await context.Receipts.ApplyAsync(
                    new DeliveryReceipt(context.Name, report.Sid, state.Value)
                    {
                        ProviderStatus = TencentCodes.Printable(report.ErrMsg),
                        At = BeijingTime(report.UserReceiveTime),
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

    /// <summary>"2015-10-17 08:03:04" in Beijing time (UTC+8), as the callbacks give it; null when it is not that.</summary>
    internal static DateTimeOffset? BeijingTime(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, BeijingOffset)
            : null;

    private static partial class Log
    {
        [LoggerMessage(495, LogLevel.Warning, "Provider {Provider} (Tencent): a status callback without the right token was refused (no ReceiptToken configured: {NoToken}).")]
        public static partial void Refused(ILogger logger, string provider, bool noToken);

        [LoggerMessage(496, LogLevel.Warning, "Provider {Provider} (Tencent): a status callback that is not a JSON array of reports was refused.")]
        public static partial void Malformed(ILogger logger, string provider);

        [LoggerMessage(497, LogLevel.Warning, "Provider {Provider} (Tencent): a status report without sid or with status {Status} was skipped.")]
        public static partial void Skipped(ILogger logger, string provider, string status);

        [LoggerMessage(498, LogLevel.Error, "Provider {Provider} (Tencent): status reports could not be stored; answered 500 so they are sent again.")]
        public static partial void NotStored(ILogger logger, string provider, Exception exception);
    }
}
