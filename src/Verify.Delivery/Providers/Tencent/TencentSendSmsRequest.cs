using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>SendSms's JSON body (API 3.0, 2021-01-11). SessionContext carries the send id; Tencent echoes it.</summary>
internal sealed record TencentSendSmsRequest(
    [property: JsonPropertyName("PhoneNumberSet")] IReadOnlyList<string> PhoneNumberSet,
    [property: JsonPropertyName("SmsSdkAppId")] string SmsSdkAppId,
    [property: JsonPropertyName("SignName")] string? SignName,
    [property: JsonPropertyName("TemplateId")] string TemplateId,
    [property: JsonPropertyName("TemplateParamSet")] IReadOnlyList<string> TemplateParamSet,
    [property: JsonPropertyName("SessionContext")] string SessionContext,
    [property: JsonPropertyName("SenderId")] string? SenderId);
