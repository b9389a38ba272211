using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// One delivery report of Alibaba Cloud's SmsReport, as its HTTP batch push ("HTTP批量推送模式") posts
/// them, a JSON array of: phone_number, send_time, report_time ("2017-01-01 00:00:00", Beijing time),
/// success, err_code ("DELIVERED", …), err_msg, sms_size, biz_id (SendSms's BizId), out_id (our OutId).
/// </summary>
internal sealed record AliyunSmsReport(
    [property: JsonPropertyName("biz_id")] string? BizId,
    [property: JsonPropertyName("success")] bool? Success,
    [property: JsonPropertyName("err_code")] string? ErrCode,
    [property: JsonPropertyName("report_time")] string? ReportTime,
    [property: JsonPropertyName("out_id")] string? OutId);
