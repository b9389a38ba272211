using System.Reflection;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using Verify.Engine.Storage.Redis;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// Each prepared script against its parameters record, without a server. A member the script does not
/// name is silently not sent (a key left out of KEYS would route nowhere on a cluster), and a name
/// without a member fails only when the script first runs.
/// </summary>
public sealed partial class RedisScriptsUnitTests
{
    public static TheoryData<string> Scripts() =>
        [.. typeof(RedisScripts).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(RedisScript)).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_NamedParameters_AreExactlyTheMembersOfItsRecord(string name)
    {
        var (script, parameters) = ScriptAndParameters(name);

        var named = Parameter().Matches(script.Source).Select(m => m.Groups[1].Value).ToHashSet();
        var members = parameters.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();

        Assert.Equal(members.Order(), named.Order());
        Assert.DoesNotContain("ARGV", script.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("KEYS", script.Source, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_ThatChecksItsDeadline_TakesGuardedParameters(string name)
    {
        var (script, parameters) = ScriptAndParameters(name);

        Assert.Equal(
            script.Source.Contains("if too_late(@Deadline) then return { 'late' } end", StringComparison.Ordinal),
            parameters.IsAssignableTo(typeof(RedisScripts.GuardedParameters)));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Record_HasAKeySoAClusterRoutesItToItsSlot(string name)
    {
        var (_, parameters) = ScriptAndParameters(name);

        Assert.Contains(parameters.GetProperties(), p => p.PropertyType == typeof(RedisKey));
    }

    [Fact]
    public void EveryScriptFile_IsLoadedByOneField()
    {
        var files = typeof(RedisScript).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Verify.Scripts.", StringComparison.Ordinal) && n != "Verify.Scripts.prelude.lua")
            .Select(n => n["Verify.Scripts.".Length..^".lua".Length]);
        var loaded = typeof(RedisScripts).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(RedisScript))
            .Select(f => ((RedisScript)f.GetValue(null)!).Name);

        Assert.Equal(files.Order(), loaded.Order());
    }

    [Fact]
    public void Script_GetsOnlyThePreludeDefinitionsItUses()
    {
        var check = RedisScripts.Check.Text;
        var refundCounter = RedisScripts.RefundCounter.Text;

        Assert.Contains("local function owned_live_record(", check, StringComparison.Ordinal);
        Assert.Contains("local function rec_decode(", check, StringComparison.Ordinal);
        Assert.Contains("return { n = v[1] or nil, u = v[2] or nil,", check, StringComparison.Ordinal);
        Assert.DoesNotContain("times_first_exceeded", check, StringComparison.Ordinal);
        Assert.DoesNotContain("local function", refundCounter, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_HasTheRecordLayoutFilledIn(string name) =>
        Assert.DoesNotContain("$Record", ScriptAndParameters(name).Script.Text, StringComparison.Ordinal);

    private static (RedisScript Script, Type Parameters) ScriptAndParameters(string name)
    {
        var script = (RedisScript)typeof(RedisScripts).GetField(name)!.GetValue(null)!;
        return (script, script.Parameters);
    }

    // As StackExchange.Redis finds them: @name not inside a word, not escaped as @@.
    [GeneratedRegex(@"(?<![\w@])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
