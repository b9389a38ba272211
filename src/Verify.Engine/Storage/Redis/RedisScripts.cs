using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// The Lua scripts of the Redis store: each state change is one script, so it is atomic. Scripts take
/// the caller's clock (<c>now</c>, Unix ms) rather than Redis <c>TIME</c>, so every replica decides
/// expiry the same way, and key TTLs are set relative (PEXPIRE, SET PX) in
/// the same script that writes the key: a key can never be left without its expiry.
///
/// Windows are exact sliding logs of send times rather than GCRA: a policy says "at most N in any
/// window W", and GCRA, after a burst of N, lets one more through every W/N, which that sentence
/// forbids. A number's or an IP's log holds at most the largest Max of its limits (single digits to
/// tens), kept in its msgpack value; counters that can hold thousands are sorted sets.
///
/// Scripts touch keys of one hash slot. A few keys are named inside a script (the record of the id a
/// number's state points to, the number's state of a record) rather than passed in KEYS; they carry
/// the same hash tag by construction (<see cref="RedisKeys"/>), so they live in the same slot on a cluster.
///
/// Each script is a file beside its operation (<c>Storage/Check/check.lua</c>; <see cref="RedisScript"/>), with named
/// parameters (<c>@Now</c>) filled from its parameters record, declared in this partial class beside it; a record's fields are laid out once, in
/// <see cref="RedisRecordLayout"/>.
///
/// HMACs are compared with Lua's string equality, which is not constant-time. That is harmless here:
/// the comparison runs inside Redis, and each guess is HMAC'ed with a secret key, so a partial match
/// tells an attacker nothing about the next guess.
///
/// A number's state (one key per number, all purposes): msgpack { purposes, send times across
/// purposes }, purposes mapping each purpose to { live id's 16 bytes or false, cooldown end, send
/// times, wrong codes in a row, locked out until }.
/// </summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// The parameters of a script that changes state. <see cref="RedisCommandRunner.EvaluateBeforeDeadlineAsync"/>
    /// sets <see cref="Deadline"/>, and the script starts with <c>if too_late(@Deadline) then return { 'late' } end</c>.
    /// </summary>
    public abstract record GuardedParameters
    {
        /// <summary>Redis's time (Unix ms) after which the script must change nothing; 0 = unknown.</summary>
        public long Deadline { get; set; }
    }
}
