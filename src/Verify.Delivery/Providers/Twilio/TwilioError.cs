using System.Text.Json.Serialization;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// Twilio's error body, e.g. <c>{"code": 21211, "message": "The 'To' number … is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}</c>.
/// Only the code is read: the message can quote the destination number.
/// </summary>
internal sealed record TwilioError([property: JsonPropertyName("code")] int? Code);
