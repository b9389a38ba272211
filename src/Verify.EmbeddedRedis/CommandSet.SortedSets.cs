using System.Globalization;
using System.Text;

namespace Verify.EmbeddedRedis;

internal sealed partial class CommandSet
{
    private RespReply SortedSetAdd(ReadOnlySpan<byte[]> args)
    {
        if (args.Length < 3 || args.Length % 2 == 0)
        {
            throw new IndexOutOfRangeException();
        }

        var scores = new List<(double Score, string Member)>();
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!TryScore(args[i], out var score, out _))
            {
                return new RespReply.Error("ERR value is not a valid float");
            }

            scores.Add((score, Key(args[i + 1])));
        }

        if (!keys.TryGetOrAdd<Dictionary<string, double>>(Key(args[0]), out var set))
        {
            return RespReply.WrongType();
        }

        var added = 0;
        foreach (var (score, member) in scores)
        {
            added += set.TryAdd(member, score) ? 1 : 0;
            set[member] = score;
        }

        return RespReply.Of(added);
    }

    private RespReply SortedSetCount(byte[] key) =>
        keys.TryGet<Dictionary<string, double>>(Key(key), out var set) ? RespReply.Of(set?.Count ?? 0) : RespReply.WrongType();

    private RespReply SortedSetScore(ReadOnlySpan<byte[]> args) =>
        !keys.TryGet<Dictionary<string, double>>(Key(args[0]), out var set) ? RespReply.WrongType()
        : set is not null && set.TryGetValue(Key(args[1]), out var score) ? RespReply.Of(score) : RespReply.Nil;

    private RespReply SortedSetCountByScore(ReadOnlySpan<byte[]> args) =>
        WithRange(args, (set, within) => RespReply.Of(set.Values.Count(within)));

    private RespReply SortedSetRangeByScore(ReadOnlySpan<byte[]> args)
    {
        var options = args[3..].ToArray();
        return WithRange(args, (set, within) =>
        {
            var withScores = false;
            long offset = 0, count = -1;
            for (var i = 0; i < options.Length; i++)
            {
                switch (Text(options[i]))
                {
                    case "WITHSCORES": withScores = true; break;
                    case "LIMIT": offset = Long(options[++i]); count = Long(options[++i]); break;
                    default: return RespReply.Syntax();
                }
            }

            var members = Ordered(set).Where(member => within(member.Value)).Skip((int)Math.Max(0, offset));
            return Members(count < 0 ? members : members.Take((int)count), withScores);
        });
    }

    private RespReply SortedSetRangeByRank(ReadOnlySpan<byte[]> args)
    {
        if (!keys.TryGet<Dictionary<string, double>>(Key(args[0]), out var set))
        {
            return RespReply.WrongType();
        }

        var ordered = Ordered(set ?? []).ToList();
        long start = Long(args[1]), stop = Long(args[2]);
        var withScores = args.Length > 3 && Text(args[3]) == "WITHSCORES";
        start = start < 0 ? Math.Max(0, ordered.Count + start) : start;
        stop = Math.Min(stop < 0 ? ordered.Count + stop : stop, ordered.Count - 1);
        return Members(start > stop ? [] : ordered.Skip((int)start).Take((int)(stop - start + 1)), withScores);
    }

    private RespReply SortedSetRemove(ReadOnlySpan<byte[]> args)
    {
        var key = Key(args[0]);
        if (!keys.TryGet<Dictionary<string, double>>(key, out var set))
        {
            return RespReply.WrongType();
        }

        var removed = 0;
        if (set is not null)
        {
            foreach (var member in args[1..])
            {
                removed += set.Remove(Key(member)) ? 1 : 0;
            }

            keys.RemoveIfEmpty(key, set.Count);
        }

        return RespReply.Of(removed);
    }

    private RespReply SortedSetRemoveByScore(ReadOnlySpan<byte[]> args)
    {
        var key = Key(args[0]);
        return WithRange(args, (set, within) =>
        {
            var removed = set.Where(member => within(member.Value)).Select(member => member.Key).ToList();
            removed.ForEach(member => set.Remove(member));
            keys.RemoveIfEmpty(key, set.Count);
            return RespReply.Of(removed.Count);
        });
    }

    /// <summary>Members by score, then by member (bytes), as Redis orders them.</summary>
    private static IEnumerable<KeyValuePair<string, double>> Ordered(Dictionary<string, double> set) =>
        set.OrderBy(member => member.Value).ThenBy(member => member.Key, StringComparer.Ordinal);

    private static RespReply Members(IEnumerable<KeyValuePair<string, double>> members, bool withScores) =>
        new RespReply.Array(members.SelectMany(member => withScores
            ? new[] { RespReply.Of(Bytes(member.Key)), RespReply.Of(member.Value) }
            : [RespReply.Of(Bytes(member.Key))]).ToArray());

    /// <summary>Runs <paramref name="action"/> over the set at args[0] with a test for the score range args[1]..args[2].</summary>
    private RespReply WithRange(ReadOnlySpan<byte[]> args, Func<Dictionary<string, double>, Func<double, bool>, RespReply> action)
    {
        if (!TryScore(args[1], out var min, out var minExclusive) || !TryScore(args[2], out var max, out var maxExclusive))
        {
            return new RespReply.Error("ERR min or max is not a float");
        }

        if (!keys.TryGet<Dictionary<string, double>>(Key(args[0]), out var set))
        {
            return RespReply.WrongType();
        }

        return action(set ?? [], score => (minExclusive ? score > min : score >= min) && (maxExclusive ? score < max : score <= max));
    }

    private static bool TryScore(byte[] bytes, out double score, out bool exclusive)
    {
        var text = Encoding.ASCII.GetString(bytes);
        exclusive = text.StartsWith('(');
        text = exclusive ? text[1..] : text;
        switch (text.ToLowerInvariant())
        {
            case "+inf" or "inf": score = double.PositiveInfinity; return true;
            case "-inf": score = double.NegativeInfinity; return true;
            default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out score) && !double.IsNaN(score);
        }
    }
}
