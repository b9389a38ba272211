using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Chuanglan;

[JsonSerializable(typeof(ChuanglanRequest))]
[JsonSerializable(typeof(ChuanglanResponse))]
internal sealed partial class ChuanglanJsonContext : JsonSerializerContext;
