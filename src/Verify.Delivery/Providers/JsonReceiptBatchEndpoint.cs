using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Verify.Delivery.Providers;

/// <summary>
/// A receipt endpoint for providers that POST a JSON array of reports and sign nothing (Aliyun, Tencent).
/// The URL configured at the provider's console carries the <see cref="ReceiptToken"/>; without it the
/// answer is 403 and nothing changes. A body that is not a JSON array of objects is 400 (nothing of it is
/// applied). When the receipts cannot be stored the answer is 500, so the provider sends them again;
/// otherwise 200 with the body the provider documents.
/// </summary>
internal abstract class JsonReceiptBatchEndpoint<TReport>(ProviderContext context, JsonTypeInfo<List<TReport?>> reportsType, byte[] answer) : IDeliveryReceiptEndpoint
    where TReport : class
{
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    protected ProviderContext Context { get; } = context;

    /// <summary>The configured receipt token, read per request so that a reload applies.</summary>
    protected abstract string? ConfiguredToken { get; }

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var token = ConfiguredToken;
        if (!ReceiptToken.IsIn(http.Request, token))
        {
            LogRefused(token is null);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        List<TReport?>? reports;
        try
        {
            reports = await JsonSerializer.DeserializeAsync(http.Request.Body, reportsType, http.RequestAborted);
        }
        catch (JsonException)
        {
            reports = null;
        }

        if (reports is null || reports.Any(r => r is null))
        {
            LogMalformed();
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        try
        {
            foreach (var report in reports)
            {
                if (Receipt(report!) is { } receipt)
                {
                    await Context.Receipts.ApplyAsync(receipt, http.RequestAborted);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogNotStored(exception);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(answer, http.RequestAborted);
    }

    /// <summary>"2017-01-01 00:00:00" in Beijing time (UTC+8), as these reports give it; null when it is not that.</summary>
    internal static DateTimeOffset? BeijingTime(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, BeijingOffset)
            : null;

    /// <summary>The receipt one report stands for; null, once the skip is logged, when it names no message or no known state.</summary>
    protected abstract DeliveryReceipt? Receipt(TReport report);

    protected abstract void LogRefused(bool noToken);

    protected abstract void LogMalformed();

    protected abstract void LogNotStored(Exception exception);
}
