using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// The scripts of the limits that live outside a number's slot (the client IP, the counters across purposes),
/// and the admin service's reset of a number's counts.
/// </summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// The per-IP windows and the distinct destination countries of one client IP, on the IP's own
    /// slot (<see cref="AdmitIpParameters"/>). A country counts for a window after its first code.
    /// Returns {'late'} | {'admitted'} (and counts the send) | {'throttled', subject, retry ms}.
    /// </summary>
    public static readonly RedisScript AdmitIp = RedisScript.Load<AdmitIpParameters>("admit-ip");

    /// <param name="Times">The IP's send times.</param>
    /// <param name="Countries">Its countries: hash of country → "ms:send tag" of the send that first reached it.</param>
    /// <param name="Tag">The send's tag (4 bytes).</param>
    /// <param name="Limits">The IP windows, "name|windowMs|max;..."</param>
    /// <param name="MaxCountries">Distinct countries allowed in the countries window; 0: off.</param>
    public sealed record AdmitIpParameters(
        RedisKey Times, RedisKey Countries, long Now, byte[] Tag, string Limits, long LongestMs, string Country, long CountriesWindowMs, int MaxCountries)
        : GuardedParameters;

    /// <summary>Takes one counted send back from a client IP.</summary>
    public static readonly RedisScript RefundIp = RedisScript.Load<RefundIpParameters>("refund-ip");

    public sealed record RefundIpParameters(RedisKey Times, RedisKey Countries, long SendTime, byte[] Tag, string Country);

    /// <summary>
    /// One counter across purposes (number, country, prefix, caller, global) on its own slot: a sorted
    /// set of sends (scored by time), exact over any window and cheap however many it holds; for
    /// prefixes and countries also the pumping guard (<see cref="AdmitCounterParameters"/>). Returns
    /// {'late'} | {'admitted'} | {'throttled', subject, retry ms, 1 when this start set a pumping block else 0}.
    /// </summary>
    public static readonly RedisScript AdmitCounter = RedisScript.Load<AdmitCounterParameters>("admit-counter");

    /// <param name="Sends">The counter's sends; <paramref name="Approvals"/> its approvals; <paramref name="Block"/> its pumping block.</param>
    /// <param name="Member">The send id (8 bytes).</param>
    /// <param name="Limits">"name|windowMs|max;..."</param>
    /// <param name="KeepMs">How long sends are kept.</param>
    /// <param name="Pumping">"window|settle|min sends|min conversion|block ms", or "".</param>
    public sealed record AdmitCounterParameters(
        RedisKey Sends, RedisKey Approvals, RedisKey Block, long Now, byte[] Member, string Scope, string Limits, long KeepMs, string Pumping)
        : GuardedParameters;

    /// <summary>Takes one counted send (its send id) back from a counter's sends.</summary>
    public static readonly RedisScript RefundCounter = RedisScript.Load<RefundCounterParameters>("refund-counter");

    public sealed record RefundCounterParameters(RedisKey Sends, byte[] Member);

    /// <summary>One approval for the pumping guard, kept <c>KeepMs</c>.</summary>
    public static readonly RedisScript RecordApproval = RedisScript.Load<RecordApprovalParameters>("record-approval");

    public sealed record RecordApprovalParameters(RedisKey Approvals, long Now, string Member, long KeepMs);

    /// <summary>
    /// Forgets a number's send times, cooldown, wrong codes in a row and lockout for a purpose ("" for
    /// the counts across purposes); keeps the live id.
    /// </summary>
    public static readonly RedisScript ResetNumber = RedisScript.Load<ResetNumberParameters>("reset-number");

    public sealed record ResetNumberParameters(RedisKey Number, long Now, string Purpose, string RecordPrefix);
}
