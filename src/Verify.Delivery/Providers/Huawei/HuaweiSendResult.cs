using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>One number's outcome in a batchSendSms answer; smsMsgId is what status reports name.</summary>
internal sealed record HuaweiSendResult(
    [property: JsonPropertyName("originTo")] string? OriginTo,
    [property: JsonPropertyName("createTime")] string? CreateTime,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("smsMsgId")] string? SmsMsgId,
    [property: JsonPropertyName("status")] string? Status);
