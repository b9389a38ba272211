using System.Globalization;
using System.Text.Json;

namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>
/// Takes Chuanglan's status reports at the URL configured in its console (with our <c>?token=</c>): a GET
/// whose query carries msgid, status, reportTime, receiver, pswd, ... (the domestic push), or the same
/// fields POSTed as JSON or a form (accounts configured for POST). DELIVRD is delivered; any other status is
/// undelivered. Answers an empty 200.
/// </summary>
internal sealed partial class ChuanglanReceiptEndpoint(ProviderContext context, ILogger<ChuanglanReceiptEndpoint> logger) : IDeliveryReceiptEndpoint
{
    public const string Delivered = "DELIVRD";

    private const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] Fields = ["msgid", "status", "reportTime", "receiver", "pswd"];

    public async Task HandleAsync(HttpContext http)
    {
        var options = context.Settings<ChuanglanOptions>();
        if (!ReceiptToken.IsIn(http.Request, options.ReceiptToken))
        {
            Log.Refused(logger, context.Name, "missing or wrong receipt token");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var report = await ReadAsync(http.Request);
        if (report is null)
        {
            Log.Malformed(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if ((options.ReceiptReceiver is { } receiver && !ReceiptToken.Matches(receiver, report.GetValueOrDefault("receiver")))
            || (options.ReceiptPassword is { } password && !ReceiptToken.Matches(password, report.GetValueOrDefault("pswd"))))
        {
            Log.Refused(logger, context.Name, "wrong receiver or pswd");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var id = report.GetValueOrDefault("msgid") ?? string.Empty;
        var status = report.GetValueOrDefault("status") ?? string.Empty;
        if (!ProviderCodes.IsVisibleAscii(id, 64) || !ProviderCodes.IsVisibleAscii(status, 32))
        {
            Log.Malformed(logger, context.Name);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var receipt = new DeliveryReceipt(context.Name, id, status == Delivered ? DeliveryState.Delivered : DeliveryState.Undelivered)
        {
            ProviderStatus = status,
            At = ReportTime(report.GetValueOrDefault("reportTime")),
        };
        await context.Receipts.ApplyAsync(receipt, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// The domestic push gives yyMMddHHmm (Beijing time); the international one yyMMddHHmmss, ISO 8601 or
    /// Unix milliseconds. Anything else: no time.
    /// </summary>
    internal static DateTimeOffset? ReportTime(string? value)
    {
        var beijing = TimeSpan.FromHours(8);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.All(char.IsAsciiDigit))
        {
            return value.Length switch
            {
                10 when DateTime.TryParseExact(value, "yyMMddHHmm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) => new DateTimeOffset(local, beijing),
                12 when DateTime.TryParseExact(value, "yyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) => new DateTimeOffset(local, beijing),
                13 when long.TryParse(value, CultureInfo.InvariantCulture, out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
                _ => null,
            };
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    /// <summary>The report's fields, from the query (GET), a form or a JSON object (POST); null when the body cannot be read.</summary>
    private static async Task<Dictionary<string, string>?> ReadAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HttpMethods.IsGet(request.Method))
        {
            foreach (var name in Fields)
            {
                if (request.Query.TryGetValue(name, out var value))
                {
                    fields[name] = value.ToString();
                }
            }

            return fields;
        }

        if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                foreach (var name in Fields)
                {
                    if (form.TryGetValue(name, out var value))
                    {
                        fields[name] = value.ToString();
                    }
                }

                return fields;
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        try
        {
            if (await ReceiptBody.ReadAsync(request, MaxBodyBytes) is not { } body)
            {
                return null;
            }

            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in Fields)
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    fields[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                }
            }

            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(525, LogLevel.Warning, "Refused a status report for {Provider}: {Reason}.")]
        public static partial void Refused(ILogger logger, string provider, string reason);

        [LoggerMessage(526, LogLevel.Warning, "Refused a status report for {Provider}: unreadable, or no msgid or status.")]
        public static partial void Malformed(ILogger logger, string provider);
    }
}
