using System.Text.Json.Serialization;

namespace Verify.Server.Delivery.Providers.Vonage;

[JsonSerializable(typeof(VonageSendResponse))]
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class VonageJsonContext : JsonSerializerContext;
