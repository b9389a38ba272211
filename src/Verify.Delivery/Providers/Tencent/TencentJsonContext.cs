using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Tencent;

[JsonSerializable(typeof(TencentSendSmsRequest))]
[JsonSerializable(typeof(TencentSendSmsResponse))]
[JsonSerializable(typeof(List<TencentStatusReport?>))]
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class TencentJsonContext : JsonSerializerContext;
