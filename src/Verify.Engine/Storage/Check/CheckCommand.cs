using Verify.Engine.Codes;
using Verify.Engine.Configuration;

namespace Verify.Engine.Storage;

/// <summary>
/// A check as one atomic step, by id or by phone number and purpose: the typed code's hash under every
/// key, and its shape.
/// </summary>
internal sealed record CheckCommand
{
    /// <summary>The verification's id; null for a check by <see cref="PhoneNumber"/> and <see cref="Purpose"/>.</summary>
    public string? Id { get; init; }

    public string? PhoneNumber { get; init; }

    public string? Purpose { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>The typed code's hash (and the transaction's fingerprint) under every key; the store compares the one its record was made with.</summary>
    public required IReadOnlyList<KeyedHash> Hashes { get; init; }

    /// <summary>
    /// Null, or the typed code's hashes bound to <see cref="Id"/> as the release before this one made them,
    /// for the codes of a verification that release sent (<see cref="CheckOutcome.Legacy"/>).
    /// </summary>
    public IReadOnlyList<KeyedHash>? LegacyHashes { get; init; }

    /// <summary>Per purpose, the wrong codes in a row that lock a number out, and for how long.</summary>
    public IReadOnlyDictionary<string, LockoutRule> Lockouts { get; init; } = System.Collections.Frozen.FrozenDictionary<string, LockoutRule>.Empty;

    /// <summary>The checking caller's owner tag: another caller's verification is not found, and nothing is counted.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>The client IP's bucket (<see cref="Limits.ClientBucket"/>) whose wrong codes this check counts towards.</summary>
    public string? ClientBucket { get; init; }

    /// <summary>The windows of wrong codes per client IP; empty: not counted.</summary>
    public IReadOnlyList<WindowLimit> WrongCodesPerIp { get; init; } = [];

    public required int CodeLength { get; init; }

    /// <summary>Which alphabets the typed code fits: a code that cannot be right is refused without counting an attempt.</summary>
    public required bool FitsDigits { get; init; }

    public required bool FitsAlphanumeric { get; init; }

    public bool Fits(CodeAlphabet alphabet) => alphabet == CodeAlphabet.Digits ? FitsDigits : FitsAlphanumeric;
}
