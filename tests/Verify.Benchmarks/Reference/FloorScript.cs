using StackExchange.Redis;

namespace Verify.Benchmarks.Reference;

/// <summary>
/// One EVALSHA of a one-line lookup: what a check for a number must at least do (a round trip, a script, one key
/// read), called by its SHA-1 as a tuned store would, so the floor is the round trip and not the client's hashing.
/// </summary>
internal sealed class FloorScript(IConnectionMultiplexer redis)
{
    private const string Script = "return redis.call('EXISTS', KEYS[1])";

    private static readonly RedisKey[] Keys = ["verify-bench:{floor}:absent"];

    private byte[]? _sha1;

    public async Task LoadAsync()
    {
        var endpoint = redis.GetEndPoints().Single();
        _sha1 = await redis.GetServer(endpoint).ScriptLoadAsync(Script);
    }

    public async Task EvaluateAsync()
    {
        var sha1 = _sha1 ?? throw new InvalidOperationException("LoadAsync first");
        await redis.GetDatabase().ScriptEvaluateAsync(sha1, Keys);
    }
}
