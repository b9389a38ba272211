using System.Globalization;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>
/// Takes Huawei's status reports: a form POST (smsMsgId, status, updateTime, ...) to the statusCallback
/// we sent, which carries our <see cref="HuaweiOptions.ReceiptToken"/>. DELIVRD is delivered; every other
/// status (EXPIRED, UNDELIV, REJECTD, MK:xxxx, E200xxx, ...) is undelivered. Huawei expects an empty 200.
/// </summary>
internal sealed partial class HuaweiReceiptEndpoint(ProviderContext context, ILogger<HuaweiReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    public const string Delivered = "DELIVRD";

    public async Task HandleAsync(HttpContext http)
    {
        var options = context.Settings<HuaweiOptions>();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!ReceiptToken.IsIn(http.Request, options.ReceiptToken))
        {
            Log.Refused(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        IFormCollection form;
        try
        {
            form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        }
        catch (InvalidDataException)
        {
            form = FormCollection.Empty;
        }

        var id = form["smsMsgId"].ToString();
        var status = form["status"].ToString();
        if (!ProviderCodes.IsVisibleAscii(id, 64) || !ProviderCodes.IsVisibleAscii(status, 32))
        {
            Log.Malformed(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var receipt = new DeliveryReceipt(context.Name, id, status == Delivered ? DeliveryState.Delivered : DeliveryState.Undelivered)
        {
            ProviderStatus = status,
            At = DateTimeOffset.TryParseExact(form["updateTime"].ToString(), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        };
        await context.Receipts.ApplyAsync(receipt, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static partial class Log
    {
        [LoggerMessage(515, LogLevel.Warning, "Refused a status report for {Provider}: missing or wrong receipt token.")]
        public static partial void Refused(ILogger logger, string provider);

        [LoggerMessage(516, LogLevel.Warning, "Refused a status report for {Provider}: no smsMsgId or status.")]
        public static partial void Malformed(ILogger logger, string provider);
    }
}
