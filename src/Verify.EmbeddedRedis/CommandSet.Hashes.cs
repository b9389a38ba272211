namespace Verify.EmbeddedRedis;

internal sealed partial class CommandSet
{
    private RespReply HashGet(ReadOnlySpan<byte[]> args) =>
        !keys.TryGet<Dictionary<string, byte[]>>(Key(args[0]), out var hash) ? RespReply.WrongType()
        : RespReply.Of(hash is not null && hash.TryGetValue(Key(args[1]), out var value) ? value : null);

    private RespReply HashSet(ReadOnlySpan<byte[]> args)
    {
        if (args.Length < 3 || args.Length % 2 == 0)
        {
            throw new IndexOutOfRangeException();
        }

        if (!keys.TryGetOrAdd<Dictionary<string, byte[]>>(Key(args[0]), out var hash))
        {
            return RespReply.WrongType();
        }

        var added = 0;
        for (var i = 1; i < args.Length; i += 2)
        {
            added += hash.TryAdd(Key(args[i]), args[i + 1]) ? 1 : 0;
            hash[Key(args[i])] = args[i + 1];
        }

        return RespReply.Of(added);
    }

    private RespReply HashDelete(ReadOnlySpan<byte[]> args)
    {
        var key = Key(args[0]);
        if (!keys.TryGet<Dictionary<string, byte[]>>(key, out var hash))
        {
            return RespReply.WrongType();
        }

        var removed = 0;
        if (hash is not null)
        {
            foreach (var field in args[1..])
            {
                removed += hash.Remove(Key(field)) ? 1 : 0;
            }

            keys.RemoveIfEmpty(key, hash.Count);
        }

        return RespReply.Of(removed);
    }

    private RespReply HashExists(ReadOnlySpan<byte[]> args) =>
        !keys.TryGet<Dictionary<string, byte[]>>(Key(args[0]), out var hash) ? RespReply.WrongType()
        : RespReply.Of(hash is not null && hash.ContainsKey(Key(args[1])) ? 1 : 0);

    private RespReply HashGetAll(ReadOnlySpan<byte[]> args)
    {
        if (!keys.TryGet<Dictionary<string, byte[]>>(Key(args[0]), out var hash))
        {
            return RespReply.WrongType();
        }

        var items = new List<RespReply>();
        foreach (var (field, value) in hash ?? [])
        {
            items.Add(RespReply.Of(Bytes(field)));
            items.Add(RespReply.Of(value));
        }

        return new RespReply.Array(items);
    }
}
