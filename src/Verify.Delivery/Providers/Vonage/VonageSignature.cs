using System.Security.Cryptography;
using System.Text;

namespace Verify.Delivery.Providers.Vonage;

/// <summary>
/// Vonage's request and webhook signature (developer.vonage.com, "Signing Messages" → "Manually generate
/// a signature"): every parameter but <c>sig</c>, sorted by name, each written as <c>&amp;name=value</c>
/// with every "&amp;" and "=" in the value replaced by "_" (the string starts with "&amp;"). "MD5 hash"
/// appends the signature secret and takes MD5; the HMAC methods key HMAC-MD5/SHA1/SHA256/SHA512 with
/// the secret. The result is hex. A sender adds <c>timestamp</c> (Unix seconds) before signing; a
/// webhook brings its own <c>timestamp</c> and <c>nonce</c>, which are signed like any other parameter.
/// </summary>
internal static class VonageSignature
{
    public const string Parameter = "sig";

    public static bool TryParseMethod(string? name, out VonageSignatureMethod method)
    {
        switch (name?.ToLowerInvariant())
        {
            case "md5hash":
                method = VonageSignatureMethod.Md5Hash;
                return true;
            case "md5":
                method = VonageSignatureMethod.Md5;
                return true;
            case "sha1":
                method = VonageSignatureMethod.Sha1;
                return true;
            case "sha256":
                method = VonageSignatureMethod.Sha256;
                return true;
            case "sha512":
                method = VonageSignatureMethod.Sha512;
                return true;
            default:
                method = default;
                return false;
        }
    }

    /// <summary>The string that is hashed: "&amp;a=1&amp;b=2", from the parameters other than <c>sig</c>.</summary>
    public static string SignedString(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var signed = new StringBuilder();
        foreach (var (name, value) in parameters.Where(p => p.Key != Parameter).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            signed.Append('&').Append(name).Append('=').Append(value.Replace('&', '_').Replace('=', '_'));
        }

        return signed.ToString();
    }

    /// <summary>The signature as Vonage's SDKs write it: lower-case hex for MD5 hash, upper-case for the HMACs.</summary>
    public static string Compute(string secret, VonageSignatureMethod method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var digest = Digest(secret, method, SignedString(parameters));
        return method == VonageSignatureMethod.Md5Hash ? Convert.ToHexStringLower(digest) : Convert.ToHexString(digest);
    }

    /// <summary>Whether <paramref name="signature"/> (hex, either case) signs these parameters; compared in constant time.</summary>
    public static bool IsValid(string secret, VonageSignatureMethod method, IEnumerable<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 128 || signature.Length % 2 != 0)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(secret, method, SignedString(parameters)), given);
    }

    private static byte[] Digest(string secret, VonageSignatureMethod method, string signed)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(signed);
        return method switch
        {
            VonageSignatureMethod.Md5Hash => MD5.HashData(Encoding.UTF8.GetBytes(signed + secret)),
            VonageSignatureMethod.Md5 => HMACMD5.HashData(key, data),
            VonageSignatureMethod.Sha1 => HMACSHA1.HashData(key, data),
            VonageSignatureMethod.Sha256 => HMACSHA256.HashData(key, data),
            _ => HMACSHA512.HashData(key, data),
        };
    }
}
