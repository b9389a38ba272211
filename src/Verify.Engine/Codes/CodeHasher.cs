using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Engine.Codes;

/// <summary>
/// The only form in which a code is stored: a version byte (2) and HMAC-SHA256(key, domain | code |
/// transaction). The transaction binds a payment code to amount, currency and payee (PSD2 RTS art. 5);
/// the code is bound to its phone number and purpose (ASVS 6.6.2) by the one record that holds the
/// hash, which only that verification's id or its number and purpose reach (docs/security.md, "What a
/// code's hash binds"). The key lives outside the store, so a dump of the store does not let anyone
/// test the small code space offline (NIST SP 800-63B-4 3.1.3.2). Every field is length-prefixed so no two
/// different inputs hash the same bytes.
///
/// The release before this one also bound the verification id (32 bytes, no version byte). Its codes
/// stay checkable for their lifetime through <see cref="HashesWithEveryKey"/> with the id; that form
/// can go once no code of that release can still be live (its longest TTL after the upgrade).
/// </summary>
internal sealed class CodeHasher(HmacKeyRing keys)
{
    public const byte Version = 2;

    private const string CodeDomain = "verify/code/v2";
    private const string TransactionDomain = "verify/transaction/v2";
    private const string LegacyCodeDomain = "verify/code/v1";
    private const string LegacyTransactionDomain = "verify/transaction/v1";

    public string ActiveKeyId => keys.ActiveKeyId;

    /// <summary>The code's hash under the active key.</summary>
    public byte[] HashCode(string normalizedCode, TransactionDetails? transaction) =>
        Hash(keys.ActiveKey, CodeDomain, null, normalizedCode, transaction, Version);

    /// <summary>
    /// A fingerprint of the transaction alone, stored beside the code hash so that a check can tell
    /// "another transaction" (burn the code) from "wrong code" (count an attempt).
    /// </summary>
    public byte[]? FingerprintTransaction(TransactionDetails? transaction) =>
        transaction is null ? null : Hash(keys.ActiveKey, TransactionDomain, null, string.Empty, transaction, null);

    /// <summary>
    /// The typed code's hash and the transaction's fingerprint under every configured key, so a check
    /// finds the ones its record was made with in one store round trip; with <paramref name="legacyVerificationId"/>,
    /// as the release before this one made them.
    /// </summary>
    public IReadOnlyList<KeyedHash> HashesWithEveryKey(string normalizedCode, TransactionDetails? transaction, string? legacyVerificationId = null)
    {
        var legacy = legacyVerificationId is not null;
        var hashes = new KeyedHash[keys.Keys.Count];
        var i = 0;
        foreach (var (id, key) in keys.Keys)
        {
            hashes[i++] = new KeyedHash(
                id,
                Hash(key, legacy ? LegacyCodeDomain : CodeDomain, legacyVerificationId, normalizedCode, transaction, legacy ? null : Version),
                transaction is null ? null : Hash(key, legacy ? LegacyTransactionDomain : TransactionDomain, legacyVerificationId, string.Empty, transaction, null));
        }

        return hashes;
    }

    private static byte[] Hash(byte[] key, string domain, string? verificationId, string code, TransactionDetails? transaction, byte? version)
    {
        Span<byte> buffer = stackalloc byte[1024];
        var length = 0;
        Append(buffer, ref length, domain);
        if (verificationId is not null)
        {
            Append(buffer, ref length, verificationId);
        }

        Append(buffer, ref length, code);
        Append(buffer, ref length, transaction?.Amount ?? string.Empty);
        Append(buffer, ref length, transaction?.Currency ?? string.Empty);
        Append(buffer, ref length, transaction?.Payee ?? string.Empty);
        if (version is not { } v)
        {
            return HMACSHA256.HashData(key, buffer[..length]);
        }

        var hash = new byte[1 + HMACSHA256.HashSizeInBytes];
        hash[0] = v;
        HMACSHA256.HashData(key, buffer[..length], hash.AsSpan(1));
        return hash;
    }

    // Inputs are validated upstream (payee at most 40 characters, amount 23, id 34, code 10), so
    // 1 KiB always holds them; an oversized field throws rather than truncating.
    private static void Append(Span<byte> buffer, ref int length, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, buffer[(length + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer[length..], written);
        length += 4 + written;
    }
}
