using Verify.Server.Codes;

namespace Verify.Server.Storage;

/// <summary>A check as one atomic step: the typed code's hash under every key, and its shape.</summary>
internal sealed record CheckCommand
{
    public required string Id { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>Key id → HMAC of the typed code; the store compares the one its record was made with.</summary>
    public required IReadOnlyDictionary<string, byte[]> CodeHashes { get; init; }

    /// <summary>Key id → transaction fingerprint, or null when the check names no transaction.</summary>
    public IReadOnlyDictionary<string, byte[]>? TransactionFingerprints { get; init; }

    /// <summary>Per purpose, the wrong codes in a row that lock a number out, and for how long.</summary>
    public IReadOnlyDictionary<string, LockoutRule> Lockouts { get; init; } = new Dictionary<string, LockoutRule>();

    /// <summary>The checking caller's owner tag: another caller's verification is not found, and nothing is counted.</summary>
    public string Owner { get; init; } = string.Empty;

    public required int CodeLength { get; init; }

    /// <summary>Which alphabets the typed code fits: a code that cannot be right is refused without counting an attempt.</summary>
    public required bool FitsDigits { get; init; }

    public required bool FitsAlphanumeric { get; init; }

    public bool Fits(CodeAlphabet alphabet) => alphabet == CodeAlphabet.Digits ? FitsDigits : FitsAlphanumeric;
}
