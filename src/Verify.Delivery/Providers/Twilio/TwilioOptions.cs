namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// A provider of <c>Type</c> "twilio": Programmable Messaging for SMS, Programmable Voice for calls that
/// speak the code. Authenticates with the account's Auth Token, or with an API key (SID and secret).
/// </summary>
internal sealed class TwilioOptions
{
    public const string DefaultBaseUrl = "https://api.twilio.com";

    /// <summary>Where the REST API is; only tests point it elsewhere.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The account, "AC" and 32 hex digits: the API paths name it.</summary>
    public string? AccountSid { get; set; }

    /// <summary>
    /// The account's Auth Token: the API password unless an API key is set, and always the key Twilio
    /// signs its status callbacks with. Without it Verify asks for no callbacks (it could not tell
    /// Twilio's from forged ones).
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>An API key ("SK" and 32 hex digits) to authenticate with instead of the Auth Token; needs <see cref="ApiKeySecret"/>.</summary>
    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    /// <summary>The SMS sender: a Twilio number in E.164 or an alphanumeric sender ID. Exactly one of this and <see cref="MessagingServiceSid"/>.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service ("MG" and 32 hex digits) that picks the sender. Exactly one of this and <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>The voice-capable Twilio number (E.164) calls come from; without it voice sends fail.</summary>
    public string? VoiceFrom { get; set; }
}
