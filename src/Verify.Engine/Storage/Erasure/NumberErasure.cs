namespace Verify.Engine.Storage;

/// <summary>
/// What an erasure of a number did: the verifications whose records it deleted, and until when the number's
/// state (its key names the number; it holds send times, cooldowns, wrong codes in a row and lockouts) stays
/// for its limits; null when nothing of it is left.
/// </summary>
internal sealed record NumberErasure(IReadOnlyList<string> ErasedVerificationIds, DateTimeOffset? StateKeptUntil);
