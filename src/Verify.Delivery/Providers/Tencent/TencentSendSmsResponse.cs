using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// SendSms's answer: {"Response":{"SendStatusSet":[{"SerialNo":…,"Code":"Ok",…}],"RequestId":…}}, or a
/// call-level failure {"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":…},"RequestId":…}}.
/// Messages are never repeated (they may quote the request).
/// </summary>
internal sealed record TencentSendSmsResponse(
    [property: JsonPropertyName("Response")] TencentSendSmsResponse.Body? Response)
{
    internal sealed record Body(
        [property: JsonPropertyName("SendStatusSet")] IReadOnlyList<SendStatus?>? SendStatusSet,
        [property: JsonPropertyName("Error")] Error? Error,
        [property: JsonPropertyName("RequestId")] string? RequestId);

    internal sealed record SendStatus(
        [property: JsonPropertyName("SerialNo")] string? SerialNo,
        [property: JsonPropertyName("Code")] string? Code);

    internal sealed record Error(
        [property: JsonPropertyName("Code")] string? Code);
}
