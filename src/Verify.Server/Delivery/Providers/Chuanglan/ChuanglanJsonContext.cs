using System.Text.Json.Serialization;

namespace Verify.Server.Delivery.Providers.Chuanglan;

[JsonSerializable(typeof(ChuanglanRequest))]
[JsonSerializable(typeof(ChuanglanResponse))]
internal sealed partial class ChuanglanJsonContext : JsonSerializerContext;
