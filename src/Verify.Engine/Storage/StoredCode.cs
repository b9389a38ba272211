namespace Verify.Engine.Storage;

/// <summary>A code as stored: its HMAC, the key id that made it, and when it stops working.</summary>
internal sealed record StoredCode(string KeyId, byte[] Hash, DateTimeOffset ExpiresAt, byte[]? TransactionFingerprint);
