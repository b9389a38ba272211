using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>The script of a personal data erasure, on the number's slot.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// Deletes every verification record the number's state names and forgets their ids; keeps the number's
    /// limits (<see cref="EraseNumberParameters"/>). Returns {'late'} | {'erased', ids, the state's PTTL ms or -2}.
    /// </summary>
    public static readonly RedisScript EraseNumber = RedisScript.Load<EraseNumberParameters>("erase-number");

    public sealed record EraseNumberParameters(RedisKey Number, long Now, string RecordPrefix) : GuardedParameters;
}
