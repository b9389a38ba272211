using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>The part of a created Message or Call resource Verify reads: its SID ("SM…", "CA…").</summary>
internal sealed record TwilioResource([property: JsonPropertyName("sid")] string? Sid);
