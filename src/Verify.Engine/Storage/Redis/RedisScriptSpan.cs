using System.Diagnostics;
using StackExchange.Redis;
using Verify.Engine.Telemetry;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// A span per Redis script, named after its file (<c>EVALSHA check</c>). Keys and
/// arguments are left out: keys hold phone numbers and arguments hold code hashes.
/// </summary>
internal static class RedisScriptSpan
{
    public static bool IsRecording => VerifyActivitySource.Instance.HasListeners();

    public static async Task<RedisResult> TraceAsync(RedisScript script, Func<Task<RedisResult>> evaluate)
    {
        var name = script.Name;
        using var activity = VerifyActivitySource.Instance.StartActivity($"EVALSHA {name}", ActivityKind.Client);
        activity?.SetTag("db.system.name", "redis")
            .SetTag("db.operation.name", "EVALSHA")
            .SetTag("db.stored_procedure.name", name);
        try
        {
            return await evaluate().ConfigureAwait(false);
        }
        catch (Exception exception) when (VerifyActivitySource.Failed(activity, exception))
        {
            throw;
        }
    }
}
