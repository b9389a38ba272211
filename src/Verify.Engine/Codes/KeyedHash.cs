namespace Verify.Engine.Codes;

/// <summary>A typed code's hash and the transaction's fingerprint (null: none) under one HMAC key.</summary>
internal sealed record KeyedHash(string KeyId, byte[] Code, byte[]? Transaction);
