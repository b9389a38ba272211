using System.Text;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// Takes Alibaba Cloud's SmsReport HTTP batch push: POST, a JSON array of reports. The push is not
/// signed, so the URL configured at the console carries <see cref="AliyunOptions.ReceiptToken"/> as
/// <c>?token=</c>; anything else is 403 and changes nothing. success true is Delivered, false Undelivered
/// (err_code kept as the provider status); the message is named by biz_id. A body that is not a JSON
/// array of objects is 400 (and nothing of it is applied); a report without biz_id or success is skipped.
/// The answer is HTTP 200 with {"code":0,"msg":"接收成功"}; when the receipts cannot be stored, 500, so
/// Alibaba Cloud pushes again (it retries after 1, 5 and 10 minutes).
/// </summary>
internal sealed partial class AliyunReceiptEndpoint(ProviderContext context, ILogger<AliyunReceiptEndpoint> logger)
    : JsonReceiptBatchEndpoint<AliyunSmsReport>(context, AliyunJsonContext.Default.ListAliyunSmsReport, Answer)
{
    /// <summary>The answer SmsReport documents; it only checks that code is a number.</summary>
    public static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"code":0,"msg":"接收成功"}""");

    protected override string? ConfiguredToken => Context.Settings<AliyunOptions>().ReceiptToken;

    protected override DeliveryReceipt? Receipt(AliyunSmsReport report)
    {
        if (string.IsNullOrEmpty(report.BizId) || report.Success is not { } success)
        {
            Log.Skipped(logger, Context.Name);
            return null;
        }

        return new DeliveryReceipt(Context.Name, report.BizId, success ? DeliveryState.Delivered : DeliveryState.Undelivered)
        {
            ProviderStatus = ProviderCodes.Printable(report.ErrCode, AliyunSmsSender.MaxCodeLength),
            At = BeijingTime(report.ReportTime),
        };
    }

    protected override void LogRefused(bool noToken) => Log.Refused(logger, Context.Name, noToken);

    protected override void LogMalformed() => Log.Malformed(logger, Context.Name);

    protected override void LogNotStored(Exception exception) => Log.NotStored(logger, Context.Name, exception);

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
