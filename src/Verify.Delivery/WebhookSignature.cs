using System.Globalization;
using System.Security.Cryptography;

namespace Verify.Delivery;

/// <summary>A well-formed, fresh <see cref="WebhookSmsSender.SignatureHeader"/>: its t and its v1 values, not yet checked against a body.</summary>
internal sealed record WebhookSignature(string Timestamp, IReadOnlyList<byte[]> Values)
{
    /// <summary>The header's t and v1s, or null when it is missing, malformed or its t is more than <see cref="WebhookReceiptEndpoint.Tolerance"/> from now.</summary>
    public static WebhookSignature? Parse(string header, DateTimeOffset now)
    {
        string? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var (key, value) = (part[..equals], part[(equals + 1)..]);
            if (key == "t")
            {
                timestamp = value;
            }
            else if (key == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        return timestamp is null || signatures.Count == 0
            || timestamp.Length > 12 || !timestamp.All(char.IsAsciiDigit)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > WebhookReceiptEndpoint.Tolerance
            ? null
            : new WebhookSignature(timestamp, signatures);
    }

    /// <summary>Whether one of the v1 is the HMAC of t + "." + body (each compared in constant time).</summary>
    public bool Matches(string secret, byte[] body)
    {
        var expected = WebhookSmsSender.Mac(secret, Timestamp, body);
        var matched = false;
        foreach (var value in Values)
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, value);
        }

        return matched;
    }
}
