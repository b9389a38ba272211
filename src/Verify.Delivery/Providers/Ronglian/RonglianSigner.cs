using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>
/// Ronglian's REST authentication: the timestamp (yyyyMMddHHmmss, Beijing time), the URL's
/// sig = upper-case hex MD5(AccountSid + AuthToken + timestamp), and Authorization = Base64(AccountSid + ":" + timestamp).
/// </summary>
internal static class RonglianSigner
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Timestamp(DateTimeOffset now) => now.ToOffset(Beijing).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    // MD5 is Ronglian's choice, not ours: the sig is their scheme's request authenticator.
#pragma warning disable CA5351
    public static string Sig(string accountSid, string authToken, string timestamp) =>
        Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(accountSid + authToken + timestamp)));
#pragma warning restore CA5351

    public static string Authorization(string accountSid, string timestamp) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(accountSid + ":" + timestamp));
}
