using StackExchange.Redis;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>A cancel: one script on the record's slot; the cooldown stays.</summary>
internal sealed partial class RedisVerificationStore
{
    public async ValueTask<CancelOutcome> CancelAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!VerificationId.IsWellFormed(id))
        {
            return CancelOutcome.NotFound.Instance;
        }

        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
            RedisScripts.Cancel,
            new RedisScripts.CancelParameters(keys.Record(id), RedisRecordCodec.Ms(now), keys.NumberPrefixForTag(VerificationId.ShardTagOf(id)), id, OwnerBytes(owner)),
            cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CancelOutcome.NotFound.Instance,
            "notpending" => new CancelOutcome.NotPending(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
            _ => new CancelOutcome.Canceled(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
        };
    }
}
