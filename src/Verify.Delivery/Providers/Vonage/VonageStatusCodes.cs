using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>
/// The SMS API's per-part status codes (developer.vonage.com, SMS API "Troubleshooting failed SMS"): what
/// each means, for failure reasons, and which refuse the message itself rather than say Vonage or our
/// account is unwell. Throttling (1), credentials (4, 14, 32), internal errors (5), a barred or out-of-credit
/// account (8, 9) and any code not known here count against the breaker.
/// </summary>
internal static class VonageStatusCodes
{
    private static readonly FrozenDictionary<string, string> Meanings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1"] = "throttled",
        ["2"] = "missing parameters",
        ["3"] = "invalid parameters",
        ["4"] = "invalid credentials",
        ["5"] = "internal error",
        ["6"] = "invalid message",
        ["7"] = "number barred",
        ["8"] = "partner account barred",
        ["9"] = "partner quota violation",
        ["10"] = "too many existing binds",
        ["11"] = "account not enabled for HTTP",
        ["12"] = "message too long",
        ["14"] = "invalid signature",
        ["15"] = "invalid sender address",
        ["22"] = "invalid network code",
        ["23"] = "invalid callback url",
        ["29"] = "non-whitelisted destination",
        ["32"] = "signature and api secret disallowed",
        ["33"] = "number de-activated",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> MessageRefusals = new[]
    {
        "3",  // invalid parameters: mostly the 'to' number
        "6",  // invalid message: e.g. an unrecognised number prefix
        "7",  // the number is barred
        "12", // the message is too long
        "15", // the sender is not allowed for this destination (alphanumeric senders in some countries)
        "22", // the network code does not fit the destination
        "29", // demo account: the destination is not whitelisted
        "33", // the number is de-activated
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>" (throttled)" for a known code, else empty.</summary>
    public static string Meaning(string code) => Meanings.TryGetValue(code, out var known) ? $" ({known})" : string.Empty;

    /// <summary>Whether the status refuses this message (false: Vonage or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(string code) => MessageRefusals.Contains(code);
}
