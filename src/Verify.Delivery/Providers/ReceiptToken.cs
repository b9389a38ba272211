using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers;

/// <summary>
/// For providers that do not sign their receipts (Aliyun, Tencent, Huawei, Chuanglan, Vonage without a
/// signature secret): the callback URL carries a secret <c>?token=</c> that only the provider and we know.
/// </summary>
internal static class ReceiptToken
{
    public const string QueryParameter = "token";

    /// <summary>At least 16 (and at most <paramref name="maxLength"/>) URL-unreserved characters, so it needs no escaping in the URL.</summary>
    public static bool IsWellFormed(string token, int maxLength = int.MaxValue) =>
        token.Length >= 16 && token.Length <= maxLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

    /// <summary>The receipt URL with <c>?token=</c>, or null when either is missing (then the provider is given no callback).</summary>
    public static string? CallbackUrl(Uri? receiptUrl, string? token)
    {
        if (receiptUrl is null || string.IsNullOrEmpty(token))
        {
            return null;
        }

        var separator = string.IsNullOrEmpty(receiptUrl.Query) ? '?' : '&';
        return $"{receiptUrl.AbsoluteUri}{separator}{QueryParameter}={Uri.EscapeDataString(token)}";
    }

    /// <summary>Whether the request's query carries the configured token, once.</summary>
    public static bool IsIn(HttpRequest request, string? configured)
    {
        var presented = request.Query[QueryParameter];
        return presented.Count == 1 && Matches(configured, presented[0]);
    }

    /// <summary>Compares hashes, so neither the content nor the length of the secret leaks through timing.</summary>
    public static bool Matches(string? configured, string? presented) =>
        !string.IsNullOrEmpty(configured) && !string.IsNullOrEmpty(presented) &&
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
