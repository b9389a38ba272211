using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>The scripts of a number's slot: its state (all purposes) and its verifications' records.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// A start on the number's slot (<see cref="StartParameters"/>, <c>start.lua</c>): the number's own limits
    /// checked and counted, then the record written (new, or a resend of the caller's pending one).
    /// </summary>
    public static readonly RedisScript Start = RedisScript.Load<StartParameters>("start");

    /// <param name="Number">The number's state.</param>
    /// <param name="Now">The replica's clock, Unix ms.</param>
    /// <param name="RecordPrefix">What precedes an id in its record's key.</param>
    /// <param name="NewId">The id a new verification gets; a resend keeps the pending one's.</param>
    /// <param name="IdempotencyKey">The caller's, or "".</param>
    /// <param name="SendId">This send (8 bytes).</param>
    /// <param name="Owner">The caller's owner tag (6 bytes, or empty).</param>
    /// <param name="Safe">Safe-listed: no limit is checked or counted.</param>
    /// <param name="PhoneLimits">The purpose's windows, "name|windowMs|max;..."; <paramref name="PhoneLongestMs"/> the longest.</param>
    /// <param name="NumberLimits">The windows across the number's purposes; <paramref name="NumberLongestMs"/> the longest.</param>
    /// <param name="KeepPrevious">A resend keeps the code before it working.</param>
    /// <param name="Alphabet">The code's alphabet (enum number).</param>
    /// <param name="Phone">The number, E.164.</param>
    /// <param name="KeyId">The HMAC key <paramref name="Hash"/> and <paramref name="Transaction"/> were made with.</param>
    /// <param name="Transaction">The transaction fingerprint, empty for none.</param>
    /// <param name="Channel">0 text, 1 call.</param>
    public sealed record StartParameters(
        RedisKey Number, long Now, string RecordPrefix, string NewId, string IdempotencyKey, byte[] SendId, byte[] Owner, bool Safe,
        string PhoneLimits, long PhoneLongestMs, string NumberLimits, long NumberLongestMs,
        long CooldownMs, long TtlMs, bool KeepPrevious, int MaxAttempts, int CodeLength, int Alphabet, string Locale, string Phone, string Purpose,
        string KeyId, byte[] Hash, byte[] Transaction, int Channel) : GuardedParameters;

    /// <summary>
    /// Undoes a start whose SMS was not taken (<see cref="RefundParameters"/>). Only the counts go
    /// when a newer start has replaced this one since.
    /// </summary>
    public static readonly RedisScript Refund = RedisScript.Load<RefundParameters>("refund");

    /// <param name="Number">The number's state.</param>
    /// <param name="Record">The stored record.</param>
    /// <param name="Previous">The previous record's key (the same key for a resend).</param>
    /// <param name="SendTime">The send's time, 0 when nothing was counted.</param>
    /// <param name="PreviousId">The previous id, or "".</param>
    /// <param name="PreviousRecord">The previous record as stored, or empty.</param>
    public sealed record RefundParameters(
        RedisKey Number, RedisKey Record, RedisKey Previous, long Now, byte[] SendId, long SendTime, string StoredId, string Purpose,
        string PreviousId, RedisValue PreviousRecord);

    /// <summary>
    /// A check by id or by number and purpose (<see cref="CheckParameters"/>, <c>check.lua</c>): one step,
    /// one round trip either way.
    /// </summary>
    public static readonly RedisScript Check = RedisScript.Load<CheckParameters>("check");

    /// <param name="Key">The record (a check by id) or the number's state (by number and purpose): the slot the script runs on.</param>
    /// <param name="Id">The id, or "" for a check by number and purpose.</param>
    /// <param name="Purpose">For a check by number: whose live verification.</param>
    /// <param name="RecordPrefix">What precedes an id in its record's key; <paramref name="NumberPrefix"/> a number in its state's key.</param>
    /// <param name="TypedLength">The typed code's length.</param>
    /// <param name="FitsDigits">The typed code is all digits; <paramref name="FitsAlphanumeric"/>: all of the alphanumeric alphabet.</param>
    /// <param name="Lockouts">"purpose|max|ms;..."</param>
    /// <param name="Hashes">msgpack array of [key id, HMAC, transaction fingerprint or ""], one per key.</param>
    /// <param name="LegacyHashes">Empty, or the same in the id-bound form of the release before this one (<see cref="Codes.CodeHasher"/>).</param>
    public sealed record CheckParameters(
        RedisKey Key, long Now, string Id, string Purpose, string RecordPrefix, string NumberPrefix, int TypedLength, bool FitsDigits, bool FitsAlphanumeric,
        byte[] Owner, string Lockouts, byte[] Hashes, byte[] LegacyHashes) : GuardedParameters;

    /// <summary>
    /// <see cref="CancelParameters"/>. The cooldown stays: cancel-and-start must not become a way around
    /// it. Returns {'late'} | {'notfound'} | {'notpending', record} | {'canceled', record}.
    /// </summary>
    public static readonly RedisScript Cancel = RedisScript.Load<CancelParameters>("cancel");

    public sealed record CancelParameters(RedisKey Record, long Now, string NumberPrefix, string Id, byte[] Owner) : GuardedParameters;

    /// <summary>Marks the code handed to the channel, unless a newer send replaced it.</summary>
    public static readonly RedisScript MarkSent = RedisScript.Load<MarkSentParameters>("mark-sent");

    public sealed record MarkSentParameters(RedisKey Record, byte[] SendId);

    /// <summary>
    /// Forgets a number's send times, cooldown, wrong codes in a row and lockout for a purpose ("" for
    /// the counts across purposes); keeps the live id.
    /// </summary>
    public static readonly RedisScript ResetNumber = RedisScript.Load<ResetNumberParameters>("reset-number");

    public sealed record ResetNumberParameters(RedisKey Number, long Now, string Purpose);

    /// <summary>
    /// A handoff (<see cref="HandoffParameters"/>): false when the message is unknown, else { id, send
    /// id (hex), sent at (ms), region }.
    /// </summary>
    public static readonly RedisScript ReadHandoff = RedisScript.Load<HandoffParameters>("read-handoff");

    public sealed record HandoffParameters(RedisKey Handoff);

    /// <summary>
    /// Marks that a handoff's final receipt came (<see cref="HandoffParameters"/>); returns 1 when this
    /// call marked it (the message's first final word, which metrics count), 0 when it was marked before
    /// or is gone. Run after the receipt was applied, so a failed apply that the provider retries still
    /// counts once.
    /// </summary>
    public static readonly RedisScript MarkHandoffFinal = RedisScript.Load<HandoffParameters>("mark-handoff-final");

    /// <summary>
    /// A receipt's delivery state (<see cref="ApplyDeliveryParameters"/>). Moves the status forward only
    /// (queued 0, sent 1, then one final word 2 to 4) and only for the record's current send. Returns 1
    /// when it moved.
    /// </summary>
    public static readonly RedisScript ApplyDelivery = RedisScript.Load<ApplyDeliveryParameters>("apply-delivery");

    /// <param name="SendId">The send the receipt is for (8 bytes).</param>
    /// <param name="State">The new delivery state (enum number).</param>
    public sealed record ApplyDeliveryParameters(RedisKey Record, long Now, byte[] SendId, int State);
}
