using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Vonage;

[JsonSerializable(typeof(VonageSendResponse))]
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class VonageJsonContext : JsonSerializerContext;
