using System.Linq.Expressions;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// One Lua script of the store, from its file beside its operation under <c>Storage/</c> (embedded), with named
/// parameters (<c>@Now</c>) filled from the members of the same name of its parameters record: a
/// <see cref="RedisKey"/> member goes in KEYS (so a cluster routes the script to its slot), any other in ARGV.
/// Of <c>prelude.lua</c> a script gets only the definitions it uses (and those they use): Redis runs a
/// script's whole chunk on every call, and each function defined there is built anew each time.
/// Run by its SHA-1 (EVALSHA), computed once. Not through StackExchange.Redis's LuaScript: its loaded
/// script is sent as text, and the client looks the text up in a hashtable on every call (hashing all
/// of its kilobytes: 11-13 % of Verify's CPU on a check).
/// </summary>
internal sealed partial class RedisScript
{
    private static readonly Lazy<IReadOnlyList<(string[] Names, string Text)>> s_prelude = new(() => Definitions(ApplyLayout(Read("prelude"))));

    private readonly byte[] _sha1;
    private readonly Func<object, RedisKey[]> _keys;
    private readonly Func<object, RedisValue[]> _values;

    private RedisScript(string name, string source, Type parameters)
    {
        Name = name;
        Source = source;
        Parameters = parameters;
        var members = parameters.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken).ToArray();
        var keys = members.Where(p => p.PropertyType == typeof(RedisKey)).ToArray();
        var values = members.Where(p => p.PropertyType != typeof(RedisKey)).ToArray();
        Text = Parameter().Replace(source, match =>
            Array.FindIndex(keys, p => p.Name == match.Groups[1].Value) is var key and >= 0 ? $"KEYS[{key + 1}]"
            : Array.FindIndex(values, p => p.Name == match.Groups[1].Value) is var value and >= 0 ? $"ARGV[{value + 1}]"
            : throw new InvalidOperationException($"{name}.lua names @{match.Groups[1].Value}, which {parameters.Name} does not have."));
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
        _keys = Getter<RedisKey>(parameters, keys);
        _values = Getter<RedisValue>(parameters, values);
    }

    /// <summary>The file's name without <c>.lua</c>; also the name of its span.</summary>
    public string Name { get; }

    /// <summary>The script with the prelude linked in and its named parameters, for tests.</summary>
    public string Source { get; }

    /// <summary>The record whose members fill the script's parameters.</summary>
    public Type Parameters { get; }

    /// <summary>The script as Redis runs it (parameters as KEYS[i] and ARGV[i]).</summary>
    public string Text { get; }

    public static RedisScript Load<TParameters>(string name) => new(name, Link(Read(name)), typeof(TParameters));

    /// <summary>The script's KEYS and ARGV from its parameters record.</summary>
    public (RedisKey[] Keys, RedisValue[] Values) Arguments(object parameters) => (_keys(parameters), _values(parameters));

    /// <summary>
    /// Runs the script by its SHA-1. A node that does not know it (a restart, SCRIPT FLUSH, another cluster
    /// node) answers NOSCRIPT (<see cref="IsUnknownScript"/>); the caller then sends it whole once
    /// (<see cref="EvaluateTextAsync"/>), which loads it there.
    /// </summary>
    public Task<RedisResult> EvaluateByHashAsync(IDatabase database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(_sha1, keys, values);

    public Task<RedisResult> EvaluateTextAsync(IDatabase database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(Text, keys, values);

    public static bool IsUnknownScript(Exception exception) =>
        exception is RedisServerException && exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    /// <summary>A compiled read of <paramref name="members"/>, each converted to <typeparamref name="T"/> as the client's implicit conversions do.</summary>
    private static Func<object, T[]> Getter<T>(Type type, PropertyInfo[] members)
    {
        var parameters = Expression.Parameter(typeof(object));
        var typed = Expression.Convert(parameters, type);
        var array = Expression.NewArrayInit(typeof(T), members.Select(p => (Expression)Expression.Convert(Expression.Property(typed, p), typeof(T))));
        return Expression.Lambda<Func<object, T[]>>(array, parameters).Compile();
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

    // As StackExchange.Redis's LuaScript found them: @name not inside a word, not escaped as @@.
    [GeneratedRegex(@"(?<![\w@])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"^local (?:function (?<names>\w+)\(|(?<names>\w+(?:\s*,\s*\w+)*)\s*=)")]
    private static partial Regex TopLevelDefinition();
}
