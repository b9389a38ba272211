namespace Verify.Engine.Codes;

/// <summary>
/// The HMAC keys codes are hashed with, from <c>Verify:Hashing</c>. Several keys may be configured so
/// that one can be rotated out while codes hashed under it are still in flight; new codes use
/// <see cref="ActiveKeyId"/>.
/// </summary>
internal sealed class HashingOptions
{
    public const string SectionName = "Verify:Hashing";

    /// <summary>The key new codes are hashed with. Required whenever <see cref="Keys"/> is not empty.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>Key id → base64 secret of at least 32 bytes. Key ids are 1 to 32 of A-Z a-z 0-9 _ -.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}
