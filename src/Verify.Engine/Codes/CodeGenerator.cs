using System.Security.Cryptography;

namespace Verify.Engine.Codes;

/// <summary>Codes drawn uniformly from the policy's alphabet by the OS CSPRNG (ASVS 6.5.3).</summary>
internal static class CodeGenerator
{
    public const string DigitChars = "0123456789";

    /// <summary>No 0/O, 1/I/L: a user reading an SMS cannot mistake one for another.</summary>
    public const string AlphanumericChars = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public static string Generate(CodeAlphabet alphabet, int length) =>
        RandomNumberGenerator.GetString(Chars(alphabet), length);

    public static string Chars(CodeAlphabet alphabet) => alphabet == CodeAlphabet.Digits ? DigitChars : AlphanumericChars;

    /// <summary>Bits of entropy per code: log2(alphabet size) × length.</summary>
    public static double EntropyBits(CodeAlphabet alphabet, int length) => Math.Log2(Chars(alphabet).Length) * length;

    /// <summary>What the user typed, as it is hashed: letters upper-cased (codes are case-insensitive).</summary>
    public static string Normalize(string typed) => typed.ToUpperInvariant();

    /// <summary>Whether a typed (normalized) code could have come from this alphabet.</summary>
    public static bool Fits(string normalized, CodeAlphabet alphabet)
    {
        var chars = Chars(alphabet);
        foreach (var c in normalized)
        {
            if (!chars.Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
