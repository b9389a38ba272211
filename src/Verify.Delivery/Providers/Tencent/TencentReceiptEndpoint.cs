using System.Text;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// Takes Tencent Cloud's SMS delivery status callback: POST, a JSON array of reports. The callback is not
/// signed, so the URL configured at the console carries <see cref="TencentOptions.ReceiptToken"/> as
/// <c>?token=</c>; anything else is 403 and changes nothing. report_status SUCCESS is Delivered, FAIL
/// Undelivered (errmsg, e.g. "DELIVRD", kept as the provider status); the message is named by sid
/// (SendSms's SerialNo). A body that is not a JSON array of objects is 400 (nothing of it applied); a
/// report without sid or with another status is skipped. The answer is HTTP 200 with
/// {"result":0,"errmsg":"OK"}; when the receipts cannot be stored, 500.
/// </summary>
internal sealed partial class TencentReceiptEndpoint(ProviderContext context, ILogger<TencentReceiptEndpoint> logger)
    : JsonReceiptBatchEndpoint<TencentStatusReport>(context, TencentJsonContext.Default.ListTencentStatusReport, Answer)
{
    /// <summary>The answer the callback documents: result 0 is success.</summary>
    public static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"result":0,"errmsg":"OK"}""");

    protected override string? ConfiguredToken => Context.Settings<TencentOptions>().ReceiptToken;

    protected override DeliveryReceipt? Receipt(TencentStatusReport report)
    {
        DeliveryState? state = report.ReportStatus switch
        {
            "SUCCESS" => DeliveryState.Delivered,
            "FAIL" => DeliveryState.Undelivered,
            _ => null,
        };
        if (string.IsNullOrEmpty(report.Sid) || state is null)
        {
            Log.Skipped(logger, Context.Name, ProviderCodes.Printable(report.ReportStatus, TencentSmsSender.MaxCodeLength) ?? "-");
            return null;
        }

        return new DeliveryReceipt(Context.Name, report.Sid, state.Value)
        {
            ProviderStatus = ProviderCodes.Printable(report.ErrMsg, TencentSmsSender.MaxCodeLength),
            At = BeijingTime(report.UserReceiveTime),
        };
    }

    protected override void LogRefused(bool noToken) => Log.Refused(logger, Context.Name, noToken);

    protected override void LogMalformed() => Log.Malformed(logger, Context.Name);

    protected override void LogNotStored(Exception exception) => Log.NotStored(logger, Context.Name, exception);

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
