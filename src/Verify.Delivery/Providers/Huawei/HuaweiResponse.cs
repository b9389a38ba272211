using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>batchSendSms's answer: "000000" and one result per number, or an error code (E000xxx).</summary>
internal sealed record HuaweiResponse(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("result")] IReadOnlyList<HuaweiSendResult>? Result);
