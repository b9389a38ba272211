using System.Text.Json.Serialization;

namespace Verify.Delivery;

/// <summary>The JSON body the webhook sender POSTs.</summary>
internal sealed record WebhookPayload(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("verification_id")] string VerificationId,
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("locale")] string Locale,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("template_id")] string TemplateId,
    [property: JsonPropertyName("template_params")] IReadOnlyDictionary<string, string> TemplateParams,
    [property: JsonPropertyName("send_id")] string SendId);
