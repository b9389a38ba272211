using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>The answer: statusCode "000000" and templateSMS, or an error statusCode (160038, 112310, ...) and statusMsg.</summary>
internal sealed record RonglianResponse(
    [property: JsonPropertyName("statusCode")] string? StatusCode,
    [property: JsonPropertyName("statusMsg")] string? StatusMsg,
    [property: JsonPropertyName("templateSMS")] RonglianTemplateSms? TemplateSms);
