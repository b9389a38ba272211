using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>The script of a check, by id or by number and purpose, on the number's slot.</summary>
internal static partial class RedisScripts
{
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
    /// <param name="PerCaller">A check by number finds the caller's own live verification (<see cref="RedisStoreOptions.StatePerCaller"/>).</param>
    /// <param name="LegacyHashes">Empty, or the same in the id-bound form of the release before this one (<see cref="Codes.CodeHasher"/>).</param>
    public sealed record CheckParameters(
        RedisKey Key, long Now, string Id, string Purpose, string RecordPrefix, string NumberPrefix, int TypedLength, bool FitsDigits, bool FitsAlphanumeric,
        byte[] Owner, string Lockouts, byte[] Hashes, byte[] LegacyHashes, bool PerCaller) : GuardedParameters;

    /// <summary>
    /// Counts one guess against the wrong codes of a client IP's bucket, on the bucket's slot, unless that would
    /// pass one of its windows. Returns {'late'} | {'admitted'} | {'throttled', window name, retry ms}.
    /// A guess that was not wrong is taken back with <see cref="RefundCounter"/> (its member).
    /// </summary>
    public static readonly RedisScript AdmitWrongCode = RedisScript.Load<AdmitWrongCodeParameters>("admit-wrong-code");

    /// <param name="WrongCodes">The bucket's guesses: a sorted set scored by time.</param>
    /// <param name="Member">This guess's id (8 random bytes).</param>
    /// <param name="Limits">"name|windowMs|max;..." (<c>Verify:Limits:WrongCodesPerIp</c>).</param>
    public sealed record AdmitWrongCodeParameters(RedisKey WrongCodes, long Now, byte[] Member, string Limits, long LongestMs) : GuardedParameters;
}
