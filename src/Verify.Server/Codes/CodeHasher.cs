using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Server.Codes;

/// <summary>
/// The only form in which a code is stored: HMAC-SHA256(key, domain | verification id | code |
/// transaction). The id binds the code to its phone number and purpose (ASVS 6.6.2), the transaction
/// binds a payment code to amount, currency and payee (PSD2 RTS art. 5). The key lives outside the
/// store, so a dump of the store does not let anyone test the small code space offline (NIST SP
/// 800-63B rev 3 §5.2.7). Every field is length-prefixed so no two different inputs hash the same bytes.
/// </summary>
internal sealed class CodeHasher(HmacKeyRing keys)
{
    private const string CodeDomain = "verify/code/v1";
    private const string TransactionDomain = "verify/transaction/v1";

    public string ActiveKeyId => keys.ActiveKeyId;

    /// <summary>The code's hash under the active key.</summary>
    public byte[] HashCode(string verificationId, string normalizedCode, TransactionDetails? transaction) =>
        Hash(keys.ActiveKey, CodeDomain, verificationId, normalizedCode, transaction);

    /// <summary>
    /// A fingerprint of the transaction alone, stored beside the code hash so that a check can tell
    /// "another transaction" (burn the code) from "wrong code" (count an attempt).
    /// </summary>
    public byte[]? FingerprintTransaction(string verificationId, TransactionDetails? transaction) =>
        transaction is null ? null : Hash(keys.ActiveKey, TransactionDomain, verificationId, string.Empty, transaction);

    /// <summary>The code's hash under every configured key, so a check finds the one its record was made with in one store round trip.</summary>
    public IReadOnlyDictionary<string, byte[]> HashCodeWithEveryKey(string verificationId, string normalizedCode, TransactionDetails? transaction) =>
        WithEveryKey(key => Hash(key, CodeDomain, verificationId, normalizedCode, transaction));

    public IReadOnlyDictionary<string, byte[]>? FingerprintTransactionWithEveryKey(string verificationId, TransactionDetails? transaction) =>
        transaction is null ? null : WithEveryKey(key => Hash(key, TransactionDomain, verificationId, string.Empty, transaction));

    private Dictionary<string, byte[]> WithEveryKey(Func<byte[], byte[]> hash)
    {
        var hashes = new Dictionary<string, byte[]>(keys.Keys.Count, StringComparer.Ordinal);
        foreach (var (id, key) in keys.Keys)
        {
            hashes[id] = hash(key);
        }

        return hashes;
    }

    private static byte[] Hash(byte[] key, string domain, string verificationId, string code, TransactionDetails? transaction)
    {
        Span<byte> buffer = stackalloc byte[1024];
        var length = 0;
        Append(buffer, ref length, domain);
        Append(buffer, ref length, verificationId);
        Append(buffer, ref length, code);
        Append(buffer, ref length, transaction?.Amount ?? string.Empty);
        Append(buffer, ref length, transaction?.Currency ?? string.Empty);
        Append(buffer, ref length, transaction?.Payee ?? string.Empty);
        return HMACSHA256.HashData(key, buffer[..length]);
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
