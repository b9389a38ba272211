using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Aliyun;

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(AliyunSendSmsResponse))]
[JsonSerializable(typeof(List<AliyunSmsReport?>))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class AliyunJsonContext : JsonSerializerContext;
