using System.Diagnostics;
using System.Reflection;
using StackExchange.Redis;
using Verify.Server.Telemetry;

namespace Verify.Server.Storage.Redis;

/// <summary>
/// A span per Redis script, named after its <see cref="RedisScripts"/> field (<c>EVALSHA Check</c>). Keys and
/// arguments are left out: keys hold phone numbers and arguments hold code hashes.
/// </summary>
internal static class RedisScriptSpan
{
    // The scripts are prepared once into static fields: found by reference, no hash of the text.
    private static readonly Dictionary<LuaScript, string> s_names = typeof(RedisScripts)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(LuaScript))
        .ToDictionary(field => (LuaScript)field.GetValue(null)!, field => field.Name, ReferenceEqualityComparer.Instance as IEqualityComparer<LuaScript>);

    public static bool IsRecording => VerifyActivitySource.Instance.HasListeners();

    public static async Task<RedisResult> TraceAsync(LuaScript script, Func<Task<RedisResult>> evaluate)
    {
        var name = s_names.GetValueOrDefault(script, "script");
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
