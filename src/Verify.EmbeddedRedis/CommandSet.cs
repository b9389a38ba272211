using System.Globalization;
using System.Text;

namespace Verify.EmbeddedRedis;

/// <summary>
/// The commands the store and its scripts use, with Redis's semantics (replies, errors, expiry), plus
/// what a StackExchange.Redis client sends while it connects. Keys, fields and members are kept as
/// Latin-1 strings: one char per byte, so any bytes round-trip.
/// </summary>
internal sealed partial class CommandSet(Keyspace keys, LuaScripting scripting)
{
    private static readonly string ServerInfo =
        "# Server\r\nredis_version:7.2.0\r\nredis_mode:standalone\r\nembedded:verify\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";

    // Redis's arity of each command, the name included: exact when positive, at least when negative.
    private static readonly Dictionary<string, int> Arity = new(StringComparer.Ordinal)
    {
        ["GET"] = 2, ["SET"] = -3, ["PSETEX"] = 4, ["SETEX"] = 4, ["DEL"] = -2, ["EXISTS"] = -2, ["PTTL"] = 2, ["TTL"] = 2, ["PEXPIRE"] = 3, ["EXPIRE"] = 3,
        ["TIME"] = 1, ["HGET"] = 3, ["HSET"] = -4, ["HDEL"] = -3, ["HEXISTS"] = 3, ["HGETALL"] = 2, ["ZADD"] = -4, ["ZCARD"] = 2,
        ["ZCOUNT"] = 4, ["ZSCORE"] = 3, ["ZRANGEBYSCORE"] = -4, ["ZRANGE"] = -4, ["ZREM"] = -3, ["ZREMRANGEBYSCORE"] = 4,
        ["EVAL"] = -3, ["EVALSHA"] = -3, ["SCRIPT"] = -2, ["ECHO"] = 2, ["SELECT"] = 2, ["CLIENT"] = -2,
    };

    /// <summary>Runs one command; inside a script (<paramref name="fromScript"/>) only data commands are allowed.</summary>
    public RespReply Execute(byte[][] arguments, bool fromScript)
    {
        if (arguments.Length == 0)
        {
            return new RespReply.Error("ERR empty command");
        }

        var name = Encoding.ASCII.GetString(arguments[0]).ToUpperInvariant();
        var args = arguments.AsSpan(1);
        if (Arity.TryGetValue(name, out var arity) && (arity > 0 ? arguments.Length != arity : arguments.Length < -arity))
        {
            return new RespReply.Error($"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command");
        }

        try
        {
            return fromScript ? ExecuteData(name, args) ?? Unknown(name, fromScript) : ExecuteData(name, args) ?? ExecuteServer(name, args) ?? Unknown(name, fromScript);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            return new RespReply.Error("ERR value is not an integer or out of range");
        }
        catch (IndexOutOfRangeException)
        {
            return new RespReply.Error($"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command");
        }
    }

    internal static string Key(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    internal static byte[] Bytes(string key) => Encoding.Latin1.GetBytes(key);

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes).ToUpperInvariant();

    private static long Long(byte[] bytes) => long.Parse(Encoding.ASCII.GetString(bytes), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static RespReply Unknown(string name, bool fromScript) =>
        new RespReply.Error(fromScript ? $"ERR This Redis command is not allowed from script: {name}" : $"ERR unknown command '{name}'");

    private RespReply? ExecuteData(string name, ReadOnlySpan<byte[]> args) => name switch
    {
        "GET" => Get(args),
        "SET" => Set(args, "set"),
        "PSETEX" => Set([args[0], args[2], "PX"u8.ToArray(), args[1]], "psetex"),
        "SETEX" => Set([args[0], args[2], "EX"u8.ToArray(), args[1]], "setex"),
        "DEL" => Delete(args),
        "EXISTS" => Exists(args),
        "PTTL" => TimeToLive(args[0], 1),
        "TTL" => TimeToLive(args[0], 1000),
        "PEXPIRE" => Expire(args[0], Long(args[1])),
        "EXPIRE" => Expire(args[0], Long(args[1]) * 1000),
        "TIME" => Time(),
        "HGET" => HashGet(args),
        "HSET" => HashSet(args),
        "HDEL" => HashDelete(args),
        "HEXISTS" => HashExists(args),
        "HGETALL" => HashGetAll(args),
        "ZADD" => SortedSetAdd(args),
        "ZCARD" => SortedSetCount(args[0]),
        "ZCOUNT" => SortedSetCountByScore(args),
        "ZSCORE" => SortedSetScore(args),
        "ZRANGEBYSCORE" => SortedSetRangeByScore(args),
        "ZRANGE" => SortedSetRangeByRank(args),
        "ZREM" => SortedSetRemove(args),
        "ZREMRANGEBYSCORE" => SortedSetRemoveByScore(args),
        _ => null,
    };

    private RespReply? ExecuteServer(string name, ReadOnlySpan<byte[]> args) => name switch
    {
        "PING" => args.Length == 0 ? new RespReply.Status("PONG") : RespReply.Of(args[0]),
        "ECHO" => RespReply.Of(args[0]),
        "SELECT" => Long(args[0]) == 0 ? RespReply.Ok : new RespReply.Error("ERR DB index is out of range"),
        "CLIENT" => Text(args[0]) == "ID" ? RespReply.Of(1) : RespReply.Ok,
        "INFO" => RespReply.Of(ServerInfo),
        "CONFIG" => RespReply.EmptyArray,
        "COMMAND" => RespReply.EmptyArray,
        "CLUSTER" => new RespReply.Error("ERR This instance has cluster support disabled"),
        "DBSIZE" => RespReply.Of(keys.Count),
        "FLUSHALL" or "FLUSHDB" => Flush(),
        "EVAL" => scripting.Evaluate(args[0], args[1..]),
        "EVALSHA" => scripting.EvaluateBySha(Encoding.ASCII.GetString(args[0]), args[1..]),
        "SCRIPT" => Script(args),
        _ => null,
    };

    private RespReply Flush()
    {
        keys.Clear();
        return RespReply.Ok;
    }

    private RespReply Script(ReadOnlySpan<byte[]> args) => Text(args[0]) switch
    {
        "LOAD" => scripting.Load(args[1]),
        "EXISTS" => new RespReply.Array(args[1..].ToArray().Select(sha => RespReply.Of(scripting.Exists(Encoding.ASCII.GetString(sha)) ? 1 : 0)).ToArray()),
        "FLUSH" => scripting.Flush(),
        _ => RespReply.Syntax(),
    };

    private RespReply Time()
    {
        var micros = (keys.Now - DateTimeOffset.UnixEpoch).Ticks / 10;
        return new RespReply.Array([RespReply.Of((micros / 1_000_000).ToString(CultureInfo.InvariantCulture)), RespReply.Of((micros % 1_000_000).ToString(CultureInfo.InvariantCulture))]);
    }

    private RespReply Get(ReadOnlySpan<byte[]> args) =>
        keys.TryGet<byte[]>(Key(args[0]), out var value) ? RespReply.Of(value) : RespReply.WrongType();

    private RespReply Set(ReadOnlySpan<byte[]> args, string command)
    {
        var key = Key(args[0]);
        long? expiresAt = null;
        bool keepTtl = false, onlyIfAbsent = false, onlyIfPresent = false;
        for (var i = 2; i < args.Length; i++)
        {
            switch (Text(args[i]))
            {
                case "PX": expiresAt = Long(args[++i]); break;
                case "EX": expiresAt = Long(args[++i]) * 1000; break;
                case "KEEPTTL": keepTtl = true; break;
                case "NX": onlyIfAbsent = true; break;
                case "XX": onlyIfPresent = true; break;
                default: return RespReply.Syntax();
            }
        }

        if (expiresAt <= 0)
        {
            return new RespReply.Error($"ERR invalid expire time in '{command}' command");
        }

        expiresAt += keys.NowMs;
        var existing = keys.Find(key);
        if ((onlyIfAbsent && existing is not null) || (onlyIfPresent && existing is null))
        {
            return RespReply.Nil;
        }

        keys.Set(key, args[1], keepTtl ? existing?.ExpiresAtMs : expiresAt);
        return RespReply.Ok;
    }

    private RespReply Delete(ReadOnlySpan<byte[]> args)
    {
        var removed = 0;
        foreach (var key in args)
        {
            removed += keys.Remove(Key(key)) ? 1 : 0;
        }

        return RespReply.Of(removed);
    }

    private RespReply Exists(ReadOnlySpan<byte[]> args)
    {
        var found = 0;
        foreach (var key in args)
        {
            found += keys.Find(Key(key)) is null ? 0 : 1;
        }

        return RespReply.Of(found);
    }

    private RespReply TimeToLive(byte[] key, long unitMs) => keys.Find(Key(key)) switch
    {
        null => RespReply.Of(-2),
        { ExpiresAtMs: null } => RespReply.Of(-1),
        { ExpiresAtMs: { } at } => RespReply.Of((at - keys.NowMs + (unitMs / 2)) / unitMs),
    };

    private RespReply Expire(byte[] key, long afterMs)
    {
        var name = Key(key);
        var entry = keys.Find(name);
        if (entry is null)
        {
            return RespReply.Of(0);
        }

        if (afterMs <= 0)
        {
            keys.Remove(name);
        }
        else
        {
            entry.ExpiresAtMs = keys.NowMs + afterMs;
        }

        return RespReply.Of(1);
    }
}
