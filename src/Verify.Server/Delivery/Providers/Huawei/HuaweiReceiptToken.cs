using System.Security.Cryptography;
using System.Text;

namespace Verify.Server.Delivery.Providers.Huawei;

/// <summary>
/// Huawei does not sign status reports, so the callback URL carries a secret token that only Huawei
/// (which got it in statusCallback) and we know.
/// </summary>
internal static class HuaweiReceiptToken
{
    public const string QueryParameter = "token";

    public static bool IsWellFormed(string token) =>
        token.Length is >= 16 and <= 128 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

    /// <summary>The receipt URL with <c>?token=</c>, or null when either is missing (then Huawei is told no callback).</summary>
    public static Uri? CallbackUrl(Uri? receiptUrl, string? token) =>
        receiptUrl is null || string.IsNullOrEmpty(token)
            ? null
            : new UriBuilder(receiptUrl) { Query = $"{QueryParameter}={Uri.EscapeDataString(token)}" }.Uri;

    /// <summary>Compares hashes, so neither the content nor the length of the token leaks through timing.</summary>
    public static bool Matches(string? configured, string? presented)
    {
        if (string.IsNullOrEmpty(configured) || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}
