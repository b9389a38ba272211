using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Verify.Server.Storage.Redis;

/// <summary>
/// One Lua script of the store, from its file under <c>Storage/Redis/Scripts</c> (embedded), with named
/// parameters (<c>@Now</c>) filled from the members of the same name of its parameters record; a
/// <see cref="RedisKey"/> member is also sent in KEYS, so a cluster routes the script to its slot.
/// Of <c>prelude.lua</c> a script gets only the definitions it uses (and those they use): Redis runs a
/// script's whole chunk on every call, and each function defined there is built anew each time.
/// Run by its SHA-1 (EVALSHA), computed once, not looked up by the script's text on every call.
/// </summary>
internal sealed partial class RedisScript
{
    private static readonly Lazy<IReadOnlyList<(string[] Names, string Text)>> s_prelude = new(() => Definitions(ApplyLayout(Read("prelude"))));

    private LoadedLuaScript? _loaded;

    private RedisScript(string name, LuaScript prepared) => (Name, Prepared) = (name, prepared);

    /// <summary>The file's name without <c>.lua</c>; also the name of its span.</summary>
    public string Name { get; }

    public LuaScript Prepared { get; }

    /// <summary>The script as Redis runs it after preparation, for tests.</summary>
    public string Text => Prepared.ExecutableScript;

    public static RedisScript Load(string name) => new(name, LuaScript.Prepare(Link(Read(name))));

    /// <summary>
    /// Runs the script by its SHA-1. The first call on a connection loads it; a node that does not know
    /// it (a restart, SCRIPT FLUSH, another cluster node) answers NOSCRIPT, and the script is then sent
    /// whole once (EVAL), which loads it there.
    /// </summary>
    public async Task<RedisResult> EvaluateAsync(IDatabase database, object parameters)
    {
        var loaded = _loaded;
        if (loaded is null)
        {
            var result = await Prepared.EvaluateAsync(database, parameters).ConfigureAwait(false);
            if (database.Multiplexer.GetEndPoints() is [var endpoint, ..])
            {
                _loaded = await Prepared.LoadAsync(database.Multiplexer.GetServer(endpoint)).ConfigureAwait(false);
            }

            return result;
        }

        try
        {
            return await loaded.EvaluateAsync(database, parameters).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await Prepared.EvaluateAsync(database, parameters).ConfigureAwait(false);
        }
    }

    /// <summary>The prelude's definitions the body uses, transitively, in the prelude's order, then the body.</summary>
    private static string Link(string body)
    {
        var prelude = s_prelude.Value;
        var used = new bool[prelude.Count];
        var pending = new Queue<string>([body]);
        while (pending.TryDequeue(out var text))
        {
            for (var i = 0; i < prelude.Count; i++)
            {
                if (!used[i] && prelude[i].Names.Any(name => Regex.IsMatch(text, $@"\b{name}\b")))
                {
                    used[i] = true;
                    pending.Enqueue(prelude[i].Text);
                }
            }
        }

        var linked = new StringBuilder();
        for (var i = 0; i < prelude.Count; i++)
        {
            if (used[i])
            {
                linked.Append(prelude[i].Text);
            }
        }

        return linked.Append(body).ToString();
    }

    /// <summary>
    /// The prelude cut into its top-level definitions (<c>local function name</c>, <c>local NAME =</c>), each
    /// with the comment lines just above it.
    /// </summary>
    private static List<(string[] Names, string Text)> Definitions(string prelude)
    {
        var definitions = new List<(string[] Names, string Text)>();
        var comments = new StringBuilder();
        foreach (var line in prelude.Split('\n'))
        {
            var start = TopLevelDefinition().Match(line);
            if (start.Success)
            {
                var names = start.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries);
                definitions.Add((names, comments + line + "\n"));
                comments.Clear();
            }
            else if (line.StartsWith("--", StringComparison.Ordinal) || (line.Length == 0 && definitions.Count == 0))
            {
                comments.Append(line).Append('\n');
            }
            else if (line.Length == 0)
            {
                comments.Clear();
            }
            else
            {
                var (names, text) = definitions[^1];
                definitions[^1] = (names, text + line + "\n");
            }
        }

        return definitions;
    }

    private static string ApplyLayout(string prelude)
    {
        foreach (var (placeholder, table) in RedisRecordLayout.LuaTables())
        {
            prelude = prelude.Replace(placeholder, table, StringComparison.Ordinal);
        }

        return prelude;
    }

    private static string Read(string name)
    {
        using var stream = typeof(RedisScript).Assembly.GetManifestResourceStream($"Verify.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"No embedded script {name}.lua.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [GeneratedRegex(@"^local (?:function (?<names>\w+)\(|(?<names>\w+(?:\s*,\s*\w+)*)\s*=)")]
    private static partial Regex TopLevelDefinition();
}
