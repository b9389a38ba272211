using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Twilio;

[JsonSerializable(typeof(TwilioResource))]
[JsonSerializable(typeof(TwilioError))]
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class TwilioJsonContext : JsonSerializerContext;
