using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>The answer to <c>POST /sms/json</c>: <c>{"message-count": "1", "messages": [{"status": "0", "message-id": "…", …}]}</c>, one entry per SMS part.</summary>
internal sealed record VonageSendResponse(
    [property: JsonPropertyName("message-count")] string? MessageCount,
    [property: JsonPropertyName("messages")] IReadOnlyList<VonageSentMessage>? Messages);
