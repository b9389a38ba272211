using StackExchange.Redis;
using Verify.Engine.Limits;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// Every key name, in one place. A number owns one shard tag (<see cref="VerificationId.ShardTag"/>),
/// which every id it gets carries, so its state and its records share a hash slot:
/// <list type="bullet">
/// <item><c>{prefix}:{tag}:p:{e164}</c> — the number's state: per purpose its live verification, cooldown, send times, wrong codes in a row and lockout; its send times across purposes</item>
/// <item><c>{prefix}:{tag}:v:{id}</c> — the verification record (HMACs only, never a code)</item>
/// <item><c>{prefix}:{ip:{address}}:{purpose}</c> — the send times of one client IP, its own slot</item>
/// <item><c>{prefix}:{ip:{address}}:cc</c> — hash: the destination countries of that IP, same slot</item>
/// <item><c>{prefix}:{ip:{address}}:#w</c> — sorted set: the wrong codes of that IP (a member per guess, scored by time), same slot</item>
/// <item>{address} is the IP's bucket (<see cref="ClientBucket"/>): the address, its network (<c>2001:db8:1:2::/64</c>), or <c>none:{caller}</c></item>
/// <item><c>{prefix}:{{scope}:{key}}:s</c>, <c>:a</c>, <c>:b</c> — a counter across purposes other than the number's (which
/// is in the number's state): country, prefix, caller, global (<see cref="LimitScope"/>): sorted set of sends, sorted set
/// of approvals, pumping block; its own slot. The scope is its <see cref="LimitScope.Name"/>, which never changes, so the
/// keys an earlier release wrote are still found</item>
/// <item><c>{prefix}:{blocks}</c> — sorted set: the pumping blocks in force, for the admin service</item>
/// <item><c>{prefix}:{h:{provider}:{message id}}</c> — a message a provider took, for its receipts; its own slot</item>
/// </list>
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public RedisKey Number(string phoneNumber) => Number(VerificationId.ShardTag(phoneNumber), phoneNumber);

    /// <summary>The number's state, for a caller that has its <see cref="VerificationId.ShardTag"/> at hand (a SHA-256 spared).</summary>
    public RedisKey Number(string tag, string phoneNumber) => $"{NumberPrefixForTag(tag)}{phoneNumber}";

    public RedisKey Record(string id) => Record(VerificationId.ShardTagOf(id), id);

    public RedisKey Record(string tag, string id) => $"{RecordPrefixForTag(tag)}{id}";

    public RedisKey Ip(string clientIp, string purpose) => $"{prefix}:{{ip:{clientIp}}}:{purpose}";

    public RedisKey IpCountries(string clientIp) => $"{prefix}:{{ip:{clientIp}}}:cc";

    /// <summary>The wrong codes of a client IP's bucket (sorted set); a '#' is in no purpose's name, so no purpose's key is this.</summary>
    public RedisKey IpWrongCodes(string bucket) => $"{prefix}:{{ip:{bucket}}}:#w";

    public RedisKey CounterSends(LimitScope scope, string key) => $"{prefix}:{{{scope.Name}:{key}}}:s";

    public RedisKey CounterApprovals(LimitScope scope, string key) => $"{prefix}:{{{scope.Name}:{key}}}:a";

    public RedisKey CounterBlock(LimitScope scope, string key) => $"{prefix}:{{{scope.Name}:{key}}}:b";

    /// <summary>The pumping blocks in force, for the admin service: sorted set of "scope|key" by end time, its own slot.</summary>
    public RedisKey Blocks() => $"{prefix}:{{blocks}}";

    /// <summary>A block's member of <see cref="Blocks"/>; <see cref="LimitScope.TryParse"/> reads its scope back.</summary>
    public static string BlockMember(LimitScope scope, string key) => $"{scope.Name}|{key}";

    /// <summary>A message a provider took: which verification send it is. Ids outside a safe alphabet are hashed (a brace would change the slot).</summary>
    public RedisKey Handoff(string provider, string providerMessageId)
    {
        var safe = providerMessageId.Length <= 128 && providerMessageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
        var id = safe ? providerMessageId : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(providerMessageId)));
        return $"{prefix}:{{h:{provider}:{id}}}";
    }

    /// <summary>What scripts prepend to an id to name its record (same slot: the id carries the tag).</summary>
    public string RecordPrefixForTag(string tag) => $"{prefix}:{{{tag}}}:v:";

    /// <summary>What scripts prepend to a number to name its state (same slot as the records of that tag).</summary>
    public string NumberPrefixForTag(string tag) => $"{prefix}:{{{tag}}}:p:";
}
