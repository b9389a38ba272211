using System.Text.Json.Serialization;

namespace Verify.Server.Delivery;

[JsonSerializable(typeof(WebhookPayload))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
