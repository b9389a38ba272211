using System.Text.Json.Serialization;

namespace Verify.Delivery;

[JsonSerializable(typeof(WebhookPayload))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
