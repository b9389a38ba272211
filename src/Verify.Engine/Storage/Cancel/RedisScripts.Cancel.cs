using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>The script of a cancel, on the record's slot.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// <see cref="CancelParameters"/>. The cooldown stays: cancel-and-start must not become a way around
    /// it. Returns {'late'} | {'notfound'} | {'notpending', record} | {'canceled', record}.
    /// </summary>
    public static readonly RedisScript Cancel = RedisScript.Load<CancelParameters>("cancel");

    public sealed record CancelParameters(RedisKey Record, long Now, string NumberPrefix, string Id, byte[] Owner) : GuardedParameters;
}
