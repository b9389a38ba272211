using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>The body of POST /msg/send/json; report "true" asks for status reports, uid is our send id.</summary>
internal sealed record ChuanglanRequest(
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("phone")] string Phone,
    [property: JsonPropertyName("report")] string Report,
    [property: JsonPropertyName("uid")] string Uid);
