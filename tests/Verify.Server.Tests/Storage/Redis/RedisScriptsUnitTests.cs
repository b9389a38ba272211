using System.Reflection;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using Verify.Server.Storage.Redis;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// Each prepared script against its parameters record, without a server. A member the script does not
/// name is silently not sent (a key left out of KEYS would route nowhere on a cluster), and a name
/// without a member fails only when the script first runs.
/// </summary>
public sealed partial class RedisScriptsUnitTests
{
    public static TheoryData<string> Scripts() =>
        [.. typeof(RedisScripts).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(LuaScript)).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_NamedParameters_AreExactlyTheMembersOfItsRecord(string name)
    {
        var (script, parameters) = ScriptAndParameters(name);

        var named = Parameter().Matches(script.OriginalScript).Select(m => m.Groups[1].Value).ToHashSet();
        var members = parameters.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();

        Assert.Equal(members.Order(), named.Order());
        Assert.DoesNotContain("ARGV", script.OriginalScript, StringComparison.Ordinal);
        Assert.DoesNotContain("KEYS", script.OriginalScript, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_ThatChecksItsDeadline_TakesGuardedParameters(string name)
    {
        var (script, parameters) = ScriptAndParameters(name);

        Assert.Equal(
            script.OriginalScript.Contains("if too_late(@Deadline) then return { 'late' } end", StringComparison.Ordinal),
            parameters.IsAssignableTo(typeof(RedisScripts.GuardedParameters)));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Record_HasAKeySoAClusterRoutesItToItsSlot(string name)
    {
        var (_, parameters) = ScriptAndParameters(name);

        Assert.Contains(parameters.GetProperties(), p => p.PropertyType == typeof(RedisKey));
    }

    private static (LuaScript Script, Type Parameters) ScriptAndParameters(string name)
    {
        var script = (LuaScript)typeof(RedisScripts).GetField(name)!.GetValue(null)!;
        var parametersName = name is nameof(RedisScripts.ReadHandoff) or nameof(RedisScripts.MarkHandoffFinal) ? "Handoff" : name;
        var parameters = typeof(RedisScripts).GetNestedType(parametersName + "Parameters", BindingFlags.Public)
            ?? throw new InvalidOperationException($"no parameters record for {name}");
        return (script, parameters);
    }

    // As StackExchange.Redis finds them: @name not inside a word, not escaped as @@.
    [GeneratedRegex(@"(?<![\w@])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
