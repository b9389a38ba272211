using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// Which of Twilio's error codes (twilio.com/docs/api/errors) refuse the message itself (its number, its
/// destination, its body) rather than say Twilio or our account is unwell. Any code not listed here,
/// authentication (20003), throttling (20429), a suspended account, a sender we may not use (21606), counts
/// against the breaker: a code we do not know is safer taken as the provider's problem.
/// </summary>
internal static class TwilioErrorCodes
{
    private static readonly FrozenSet<int> MessageRefusals = new[]
    {
        13224, // Dial: Twilio does not support calling this number, or it is invalid
        13225, // Dial: forbidden phone number
        13227, // Dial: no international authorization (geo permissions) for the destination
        21211, // invalid 'To' phone number
        21215, // geo permissions do not allow calling this destination
        21216, // the account may not call this number (premium, high-risk)
        21217, // phone number does not appear to be valid
        21219, // 'To' number not verified (trial account)
        21265, // 'To' number cannot be a short code
        21266, // 'To' and 'From' cannot be the same
        21401, // invalid phone number
        21407, // this phone number type does not support SMS
        21408, // SMS permission not enabled for the region of the 'To' number
        21421, // phone number is invalid
        21602, // message body is required
        21608, // 'To' number unverified (trial account)
        21610, // the recipient unsubscribed (STOP)
        21612, // the 'To' number is not reachable by SMS from this sender
        21614, // 'To' is not a valid mobile number
        21617, // body longer than 1600 characters
        21635, // 'To' number cannot be a landline
    }.ToFrozenSet();

    /// <summary>Whether Twilio refused this message (false: Twilio or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(int httpStatus, int? code) =>
        httpStatus is >= 400 and < 500 and not (401 or 403 or 429) && code is { } known && MessageRefusals.Contains(known);
}
