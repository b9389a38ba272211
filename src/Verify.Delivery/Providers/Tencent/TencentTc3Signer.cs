using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256):
/// CanonicalRequest = method \n uri \n query \n canonical headers (each "name:value\n", lower case, sorted) \n
/// signed headers \n hex(SHA256(payload));
/// StringToSign = "TC3-HMAC-SHA256" \n timestamp \n "{UTC date}/{service}/tc3_request" \n hex(SHA256(CanonicalRequest));
/// the key is HMAC chained from "TC3" + SecretKey over the date, the service and "tc3_request";
/// Authorization = "TC3-HMAC-SHA256 Credential={SecretId}/{scope}, SignedHeaders={…}, Signature={hex}".
/// </summary>
internal static class TencentTc3Signer
{
    public const string Algorithm = "TC3-HMAC-SHA256";

    private const string Terminator = "tc3_request";

    public static string Authorization(
        string secretId, string secretKey, string service, long timestamp, string method, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload)
    {
        var (canonicalRequest, signedHeaders) = CanonicalRequest(method, "/", string.Empty, headers, payload);
        var date = Date(timestamp);
        var scope = $"{date}/{service}/{Terminator}";
        var signature = Signature(SigningKey(secretKey, date, service), StringToSign(timestamp, scope, canonicalRequest));
        return $"{Algorithm} Credential={secretId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static (string Text, string SignedHeaders) CanonicalRequest(
        string method, string canonicalUri, string canonicalQuery, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload)
    {
        var canonical = headers
            .Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: h.Value.Trim().ToLowerInvariant()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', canonical.Select(h => h.Name));
        var text = new StringBuilder()
            .Append(method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in canonical)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        text.Append('\n').Append(signedHeaders).Append('\n').Append(HexSha256(payload));
        return (text.ToString(), signedHeaders);
    }

    public static string StringToSign(long timestamp, string credentialScope, string canonicalRequest) =>
        $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{credentialScope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static byte[] SigningKey(string secretKey, string date, string service)
    {
        var secretDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(date));
        var secretService = HMACSHA256.HashData(secretDate, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(secretService, Encoding.UTF8.GetBytes(Terminator));
    }

    public static string Signature(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The UTC date of the timestamp: near midnight Beijing time it differs from the local one.</summary>
    public static string Date(long timestamp) =>
        DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
