using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// Alibaba Cloud's RPC request signature, version 1.0 (HMAC-SHA1): every parameter but Signature, its
/// name and value percent-encoded (UTF-8; only A–Z a–z 0–9 '-' '_' '.' '~' left as they are, so a space
/// is %20 and '*' is %2A), sorted by name and joined as a query string; then
/// StringToSign = METHOD + "&amp;" + encode("/") + "&amp;" + encode(that query), and
/// Signature = Base64(HMAC-SHA1(AccessKeySecret + "&amp;", StringToSign)).
/// </summary>
internal static class AliyunRpcSigner
{
    public static string PercentEncode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var encoded = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(Convert.ToHexString([b]));
            }
        }

        return encoded.ToString();
    }

    /// <summary>The sorted, encoded "name=value&amp;…" of every parameter (Signature excluded).</summary>
    public static string CanonicalizedQuery(IEnumerable<KeyValuePair<string, string>> parameters) => string.Join(
        '&',
        parameters
            .Where(p => p.Key != "Signature")
            .Select(p => (Name: PercentEncode(p.Key), Value: PercentEncode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        $"{method}&{PercentEncode("/")}&{PercentEncode(CanonicalizedQuery(parameters))}";

    public static string Sign(string accessKeySecret, string stringToSign) => Convert.ToBase64String(
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign)));
}
