using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>One part in the answer to a send: status "0" and its message-id, or a status code and error-text (not read: it can quote the number).</summary>
internal sealed record VonageSentMessage(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("message-id")] string? MessageId);
