using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>The answer: code "0" and msgId, or an error code (101, 107, ...). The code is read as a string or a number.</summary>
internal sealed record ChuanglanResponse(
    [property: JsonPropertyName("code")] JsonElement Code,
    [property: JsonPropertyName("msgId")] string? MsgId,
    [property: JsonPropertyName("time")] string? Time,
    [property: JsonPropertyName("errorMsg")] string? ErrorMsg);
