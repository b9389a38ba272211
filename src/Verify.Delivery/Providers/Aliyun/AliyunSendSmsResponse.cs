using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// SendSms's answer, e.g. {"Code":"OK","Message":"OK","BizId":"9006197469364984^0","RequestId":"…"};
/// errors (isv.BUSINESS_LIMIT_CONTROL, SignatureDoesNotMatch, …) have the same shape, without BizId.
/// Message is never repeated: for a signature mismatch it quotes the string to sign, code and number included.
/// </summary>
internal sealed record AliyunSendSmsResponse(
    [property: JsonPropertyName("Code")] string? Code,
    [property: JsonPropertyName("BizId")] string? BizId,
    [property: JsonPropertyName("RequestId")] string? RequestId);
