using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// One entry of Tencent Cloud's SMS delivery status callback (短信下发状态回调), a JSON array of:
/// user_receive_time ("2015-10-17 08:03:04", Beijing time), nationcode, mobile, report_status
/// ("SUCCESS"/"FAIL"), errmsg ("DELIVRD", …), description, sid (SendSms's SerialNo).
/// </summary>
internal sealed record TencentStatusReport(
    [property: JsonPropertyName("sid")] string? Sid,
    [property: JsonPropertyName("report_status")] string? ReportStatus,
    [property: JsonPropertyName("errmsg")] string? ErrMsg,
    [property: JsonPropertyName("user_receive_time")] string? UserReceiveTime);
