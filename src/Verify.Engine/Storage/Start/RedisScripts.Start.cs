using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>The scripts of a start on the number's slot: the number's limits and the record, the hand-off mark, and the refund.</summary>
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
    /// <param name="WrongCodesInRecord">The new or resent record keeps the number's wrong codes in a row (<see cref="RedisStoreOptions.WrongCodesInRecord"/>).</param>
    /// <param name="PerCaller">The live verification, cooldown and lockout are the caller's own (<see cref="RedisStoreOptions.StatePerCaller"/>).</param>
    public sealed record StartParameters(
        RedisKey Number, long Now, string RecordPrefix, string NewId, string IdempotencyKey, byte[] SendId, byte[] Owner, bool Safe,
        string PhoneLimits, long PhoneLongestMs, string NumberLimits, long NumberLongestMs,
        long CooldownMs, long TtlMs, bool KeepPrevious, int MaxAttempts, int CodeLength, int Alphabet, string Locale, string Phone, string Purpose,
        string KeyId, byte[] Hash, byte[] Transaction, int Channel, bool WrongCodesInRecord, bool PerCaller) : GuardedParameters;

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
    /// <param name="Owner">The starting caller's owner tag, whose slot the start wrote when <paramref name="PerCaller"/>.</param>
    public sealed record RefundParameters(
        RedisKey Number, RedisKey Record, RedisKey Previous, long Now, byte[] SendId, long SendTime, string StoredId, string Purpose,
        string PreviousId, RedisValue PreviousRecord, byte[] Owner, bool PerCaller);

    /// <summary>Marks the code handed to the channel, unless a newer send replaced it.</summary>
    public static readonly RedisScript MarkSent = RedisScript.Load<MarkSentParameters>("mark-sent");

    public sealed record MarkSentParameters(RedisKey Record, byte[] SendId);
}
