using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KeraLua;

namespace Verify.EmbeddedRedis;

/// <summary>
/// EVAL, EVALSHA and SCRIPT as Redis has them, on Lua 5.4: scripts by SHA-1, KEYS and ARGV, <c>redis.call</c> /
/// <c>redis.pcall</c> with Redis's conversions both ways, <c>cmsgpack</c>, and the Lua 5.1 global <c>unpack</c>.
/// A C# function never raises a Lua error itself (a longjmp must not cross .NET frames): it answers
/// <c>ok, value</c> and a Lua wrapper raises.
/// <para>
/// Sandboxed as Redis's own Lua is: no <c>os</c>, <c>io</c>, <c>debug</c>, <c>package</c>, loading of code or
/// <c>string.dump</c>; globals are read-only, so one script cannot change what the next one sees; a script
/// that runs longer than <see cref="TimeBudgetSeconds"/> of CPU is stopped with an error.
/// </para>
/// </summary>
internal sealed class LuaScripting : IDisposable
{
    /// <summary>How long a script may run; Redis starts answering BUSY after 5 s (<c>busy-reply-threshold</c>).</summary>
    public const int TimeBudgetSeconds = 5;

    private const string Environment = """
        unpack = table.unpack
        local raw_call, raw_pack, raw_unpack = __verify_call, __verify_pack, __verify_unpack
        __verify_call, __verify_pack, __verify_unpack = nil, nil, nil
        redis = {}
        function redis.call(...)
          local ok, reply = raw_call(...)
          if not ok then error(reply, 2) end
          return reply
        end
        function redis.pcall(...)
          local ok, reply = raw_call(...)
          if not ok then return { err = reply } end
          return reply
        end
        function redis.error_reply(message) return { err = message } end
        function redis.status_reply(message) return { ok = message } end
        function redis.log() end
        redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
        cmsgpack = {}
        function cmsgpack.pack(...)
          local ok, packed = raw_pack(...)
          if not ok then error(packed, 2) end
          return packed
        end
        function cmsgpack.unpack(blob)
          local results = { raw_unpack(blob) }
          if not results[1] then error(results[2], 2) end
          return table.unpack(results, 2, results.n)
        end
        local clock, sethook, error, setmetatable, getmetatable, rawset, pairs, ipairs, tostring =
          os.clock, debug.sethook, error, setmetatable, getmetatable, rawset, pairs, ipairs, tostring
        local budget, started = __budget, 0
        -- Runs a script with the clock reset; the count hook is pure Lua, so its error unwinds Lua frames only.
        local function run(script)
          started = clock()
          return script()
        end
        sethook(function()
          if clock() - started > budget then error('ERR the script ran longer than ' .. budget .. ' s and was stopped', 0) end
        end, '', 100000)
        os, io, debug, package, require, load, loadfile, dofile, collectgarbage, __budget = nil
        string.dump = nil
        -- Read-only as on Redis 7: what one script changes, the next one would see.
        local function readonly(t)
          return setmetatable({}, { __index = t, __newindex = function() error('Attempt to modify a readonly table', 2) end, __metatable = false })
        end
        getmetatable('').__metatable = false
        redis, cmsgpack, string, table, math, utf8, coroutine =
          readonly(redis), readonly(cmsgpack), readonly(string), readonly(table), readonly(math), readonly(utf8), readonly(coroutine)
        local G, globals, names = _G, {}, {}
        for name, value in pairs(G) do globals[name] = value; names[#names + 1] = name end
        for _, name in ipairs(names) do rawset(G, name, nil) end
        setmetatable(globals, { __index = function(_, name) error('Script attempted to access nonexistent global variable ' .. tostring(name), 2) end, __metatable = false })
        setmetatable(G, { __index = globals, __newindex = function(_, name) error('Script attempted to create global variable ' .. tostring(name), 2) end, __metatable = false })
        return run
        """;

    private readonly Lua _lua = new();
    private readonly int _run;
    private readonly Dictionary<string, int> _scripts = new(StringComparer.Ordinal);
    private readonly LuaFunction _call, _pack, _unpack;
    private Func<byte[][], RespReply>? _execute;

    public LuaScripting()
    {
        _call = Call;
        _pack = state => Guarded(state, LuaMessagePack.Pack);
        _unpack = state => Guarded(state, LuaMessagePack.Unpack);
        _lua.Register("__verify_call", _call);
        _lua.Register("__verify_pack", _pack);
        _lua.Register("__verify_unpack", _unpack);
        _lua.PushInteger(TimeBudgetSeconds);
        _lua.SetGlobal("__budget");
        if (_lua.DoString(Environment))
        {
            throw new InvalidOperationException("The Lua environment did not load: " + _lua.ToString(-1));
        }

        // The environment answers the function that runs a script.
        _run = _lua.Ref(LuaRegistry.Index);
    }

    /// <summary>What <c>redis.call</c> runs: the server's commands, as a script may use them.</summary>
    public void Bind(Func<byte[][], RespReply> execute) => _execute = execute;

    public RespReply Load(byte[] body)
    {
        var sha = Sha(body);
        if (_scripts.ContainsKey(sha))
        {
            return RespReply.Of(sha);
        }

        if (_lua.LoadBuffer(body, "@user_script") != LuaStatus.OK)
        {
            var message = _lua.ToString(-1);
            _lua.Pop(1);
            return new RespReply.Error($"ERR Error compiling script (new function): {message}");
        }

        _scripts[sha] = _lua.Ref(LuaRegistry.Index);
        return RespReply.Of(sha);
    }

    public bool Exists(string sha) => _scripts.ContainsKey(sha.ToLowerInvariant());

    public RespReply Flush()
    {
        foreach (var reference in _scripts.Values)
        {
            _lua.Unref(LuaRegistry.Index, reference);
        }

        _scripts.Clear();
        return RespReply.Ok;
    }

    public RespReply Evaluate(byte[] body, ReadOnlySpan<byte[]> arguments) =>
        Load(body) is RespReply.Error error ? error : EvaluateBySha(Sha(body), arguments);

    public RespReply EvaluateBySha(string sha, ReadOnlySpan<byte[]> arguments)
    {
        if (!_scripts.TryGetValue(sha.ToLowerInvariant(), out var reference))
        {
            return new RespReply.Error("NOSCRIPT No matching script. Please use EVAL.");
        }

        if (!int.TryParse(Encoding.ASCII.GetString(arguments[0]), NumberStyles.None, CultureInfo.InvariantCulture, out var keyCount) || keyCount > arguments.Length - 1)
        {
            return new RespReply.Error("ERR Number of keys can't be greater than number of args");
        }

        var top = _lua.GetTop();
        try
        {
            // Raw sets: the globals' metatable refuses every other write.
            _lua.PushGlobalTable();
            _lua.PushString("KEYS");
            PushArray(arguments[1..(1 + keyCount)]);
            _lua.RawSet(-3);
            _lua.PushString("ARGV");
            PushArray(arguments[(1 + keyCount)..]);
            _lua.RawSet(-3);
            _lua.Pop(1);
            _lua.RawGetInteger(LuaRegistry.Index, _run);
            _lua.RawGetInteger(LuaRegistry.Index, reference);
            if (_lua.PCall(1, 1, 0) != LuaStatus.OK)
            {
                return _lua.Type(-1) == LuaType.Table && TableField(-1, "err") is { } raised
                    ? new RespReply.Error(raised)
                    : new RespReply.Error($"ERR user_script: {_lua.ToString(-1)}");
            }

            return ToReply(-1);
        }
        finally
        {
            _lua.SetTop(top);
        }
    }

    public void Dispose() => _lua.Dispose();

    /// <summary>A C# function for Lua that answers <c>false, message</c> for any exception instead of letting it unwind through Lua.</summary>
    private static int Guarded(IntPtr state, LuaFunction function)
    {
        try
        {
            return function(state);
        }
        catch (Exception exception)
        {
            var lua = Lua.FromIntPtr(state);
            lua.PushBoolean(false);
            lua.PushString("ERR " + exception.Message);
            return 2;
        }
    }

    private static string Sha(byte[] body) => Convert.ToHexStringLower(SHA1.HashData(body));

    private void PushArray(ReadOnlySpan<byte[]> values)
    {
        _lua.CreateTable(values.Length, 0);
        for (var i = 0; i < values.Length; i++)
        {
            _lua.PushBuffer(values[i]);
            _lua.RawSetInteger(-2, i + 1);
        }
    }

    /// <summary><c>redis.call</c>'s body: answers <c>true, reply</c> or <c>false, message</c>.</summary>
    private int Call(IntPtr state)
    {
        var lua = Lua.FromIntPtr(state);
        var count = lua.GetTop();
        var arguments = new byte[count][];
        for (var i = 1; i <= count; i++)
        {
            if (LuaMessagePack.ArgumentBytes(lua, i) is not { } bytes)
            {
                lua.PushBoolean(false);
                lua.PushString("ERR Lua redis lib command arguments must be strings or integers");
                return 2;
            }

            arguments[i - 1] = bytes;
        }

        RespReply reply;
        try
        {
            reply = count == 0 ? new RespReply.Error("ERR Please specify at least one argument for this redis lib call") : _execute!(arguments);
        }
        catch (Exception exception)
        {
            // An exception must not unwind through the Lua frames that called in: it becomes the command's error.
            reply = new RespReply.Error("ERR " + exception.Message);
        }

        if (reply is RespReply.Error error)
        {
            lua.PushBoolean(false);
            lua.PushString(error.Text);
            return 2;
        }

        lua.PushBoolean(true);
        Push(lua, reply);
        return 2;
    }

    /// <summary>A reply as Redis gives it to a script: nil as false, a status as <c>{ ok = ... }</c>.</summary>
    private static void Push(Lua lua, RespReply reply)
    {
        switch (reply)
        {
            case RespReply.Integer integer: lua.PushInteger(integer.Value); break;
            case RespReply.Bulk { Value: { } value }: lua.PushBuffer(value); break;
            case RespReply.Status status:
                lua.CreateTable(0, 1);
                lua.PushString(status.Text);
                lua.SetField(-2, "ok");
                break;
            case RespReply.Array { Items: { } items }:
                lua.CheckStack(2);
                lua.CreateTable(items.Count, 0);
                for (var i = 0; i < items.Count; i++)
                {
                    Push(lua, items[i]);
                    lua.RawSetInteger(-2, i + 1);
                }

                break;
            default: lua.PushBoolean(false); break;
        }
    }

    /// <summary>A script's answer as Redis turns it into a reply: a number truncated to an integer, false as nil.</summary>
    private RespReply ToReply(int index)
    {
        index = _lua.AbsIndex(index);
        switch (_lua.Type(index))
        {
            case LuaType.Number:
                return RespReply.Of(_lua.IsInteger(index) ? _lua.ToInteger(index) : (long)_lua.ToNumber(index));
            case LuaType.String:
                return RespReply.Of(_lua.ToBuffer(index, false) ?? []);
            case LuaType.Boolean:
                return _lua.ToBoolean(index) ? RespReply.Of(1) : RespReply.Nil;
            case LuaType.Table:
                if (TableField(index, "err") is { } error)
                {
                    return new RespReply.Error(error);
                }

                if (TableField(index, "ok") is { } status)
                {
                    return new RespReply.Status(status);
                }

                var items = new List<RespReply>();
                _lua.CheckStack(2);
                for (var i = 1; _lua.RawGetInteger(index, i) != LuaType.Nil; i++)
                {
                    items.Add(ToReply(-1));
                    _lua.Pop(1);
                }

                _lua.Pop(1);
                return new RespReply.Array(items);
            default:
                return RespReply.Nil;
        }
    }

    private string? TableField(int index, string name)
    {
        var type = _lua.GetField(index, name);
        var value = type == LuaType.String ? _lua.ToString(-1, false) : null;
        _lua.Pop(1);
        return value;
    }
}
