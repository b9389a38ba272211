using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Huawei;

[JsonSerializable(typeof(HuaweiResponse))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class HuaweiJsonContext : JsonSerializerContext;
