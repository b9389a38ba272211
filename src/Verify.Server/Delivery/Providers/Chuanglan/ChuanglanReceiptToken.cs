using System.Security.Cryptography;
using System.Text;

namespace Verify.Server.Delivery.Providers.Chuanglan;

/// <summary>
/// Chuanglan's status-report push is not signed; its receiver/pswd fields are empty unless support
/// configures them. So the push URL carries a secret token, compared in constant time.
/// </summary>
internal static class ChuanglanReceiptToken
{
    public const string QueryParameter = "token";

    public static bool IsWellFormed(string token) =>
        token.Length is >= 16 and <= 128 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

    /// <summary>Compares hashes, so neither the content nor the length of the secret leaks through timing.</summary>
    public static bool Matches(string? configured, string? presented)
    {
        if (string.IsNullOrEmpty(configured) || presented is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}
