namespace Verify.EmbeddedRedis;

/// <summary>
/// The keys and their values (a string is a byte array, a hash a dictionary, a sorted set a dictionary of
/// scores), each with an optional expiry on the given clock. Expired keys are gone when read and swept
/// every few seconds. Not thread-safe: the server runs one command at a time, as Redis does.
/// </summary>
internal sealed class Keyspace(TimeProvider time)
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _sweptAtMs;

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public DateTimeOffset Now => time.GetUtcNow();

    public int Count
    {
        get
        {
            Sweep(force: true);
            return _entries.Count;
        }
    }

    public Entry? Find(string key)
    {
        Sweep(force: false);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAtMs is { } at && at <= NowMs)
        {
            _entries.Remove(key);
            return null;
        }

        return entry;
    }

    /// <summary>The key's value as <typeparamref name="T"/>; null if absent; false if it holds another kind.</summary>
    public bool TryGet<T>(string key, out T? value)
        where T : class
    {
        var entry = Find(key);
        value = entry?.Value as T;
        return entry is null || value is not null;
    }

    /// <summary>The key's value as <typeparamref name="T"/>, made empty if absent; false if it holds another kind.</summary>
    public bool TryGetOrAdd<T>(string key, out T value)
        where T : class, new()
    {
        var entry = Find(key);
        if (entry is null)
        {
            value = new T();
            _entries[key] = new Entry(value, null);
            return true;
        }

        value = (entry.Value as T)!;
        return value is not null;
    }

    public void Set(string key, object value, long? expiresAtMs) => _entries[key] = new Entry(value, expiresAtMs);

    public bool Remove(string key) => Find(key) is not null && _entries.Remove(key);

    /// <summary>Redis removes a hash or sorted set that has no members left.</summary>
    public void RemoveIfEmpty(string key, int count)
    {
        if (count == 0)
        {
            _entries.Remove(key);
        }
    }

    public void Clear() => _entries.Clear();

    private void Sweep(bool force)
    {
        var now = NowMs;
        if (!force && now - _sweptAtMs < SweepEvery.TotalMilliseconds)
        {
            return;
        }

        _sweptAtMs = now;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAtMs is { } at && at <= now)
            {
                _entries.Remove(key);
            }
        }
    }

    internal sealed class Entry(object value, long? expiresAtMs)
    {
        public object Value { get; set; } = value;

        public long? ExpiresAtMs { get; set; } = expiresAtMs;
    }
}
