using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// <c>X-Twilio-Signature</c> (twilio.com/docs/usage/security, "Validating requests"): Base64 of
/// HMAC-SHA1 keyed with the account's Auth Token over the full URL Twilio called (query string included)
/// followed by every POST parameter, sorted by name (ordinal, case-sensitive), each name immediately
/// followed by its value, no separators. Values are the decoded form values.
/// </summary>
internal static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>Whether <paramref name="signature"/> is Twilio's for this URL and these parameters; compared in constant time.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(authToken, url, parameters));
        var given = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
