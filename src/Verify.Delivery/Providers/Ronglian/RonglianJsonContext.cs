using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Ronglian;

[JsonSerializable(typeof(RonglianRequest))]
[JsonSerializable(typeof(RonglianResponse))]
internal sealed partial class RonglianJsonContext : JsonSerializerContext;
