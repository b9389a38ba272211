using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>
/// The X-WSSE UsernameToken Huawei's SMS API authenticates with:
/// PasswordDigest = Base64(SHA256(Nonce + Created + AppSecret)), Created in UTC as yyyy-MM-ddTHH:mm:ssZ.
/// </summary>
internal static class HuaweiWsse
{
    /// <summary>The Authorization header value, fixed by Huawei.</summary>
    public const string Authorization = "WSSE realm=\"SDP\",profile=\"UsernameToken\",type=\"Appkey\"";

    /// <summary>32 upper-case hex characters (Huawei takes 1 to 128 letters and digits).</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string Created(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string PasswordDigest(string nonce, string created, string appSecret) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(nonce + created + appSecret)));

    public static string Header(string appKey, string appSecret, string nonce, DateTimeOffset now)
    {
        var created = Created(now);
        return $"UsernameToken Username=\"{appKey}\",PasswordDigest=\"{PasswordDigest(nonce, created, appSecret)}\",Nonce=\"{nonce}\",Created=\"{created}\"";
    }
}
