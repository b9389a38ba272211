using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>The accepted message: smsMessageSid names it.</summary>
internal sealed record RonglianTemplateSms(
    [property: JsonPropertyName("smsMessageSid")] string? SmsMessageSid,
    [property: JsonPropertyName("dateCreated")] string? DateCreated);
