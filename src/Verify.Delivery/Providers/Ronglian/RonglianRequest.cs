using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>The body of TemplateSMS; reqId (our send id) is Ronglian's per-day duplicate guard.</summary>
internal sealed record RonglianRequest(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("templateId")] string TemplateId,
    [property: JsonPropertyName("datas")] IReadOnlyList<string> Datas,
    [property: JsonPropertyName("reqId")] string ReqId);
