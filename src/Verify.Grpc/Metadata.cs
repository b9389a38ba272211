using System.Collections;

namespace Verify.Grpc;

/// <summary>
/// Call headers or trailers: an ordered list of key/value entries. Keys are lower-case ASCII
/// (<c>0-9 a-z _ - .</c>); keys ending in <c>-bin</c> carry bytes, sent as base64.
/// </summary>
public sealed class Metadata : IList<MetadataEntry>
{
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new(readOnly: true);

    private readonly List<MetadataEntry> _entries = [];
    private readonly bool _readOnly;

    public Metadata()
    {
    }

    private Metadata(bool readOnly) => _readOnly = readOnly;

    public int Count => _entries.Count;

    public bool IsReadOnly => _readOnly;

    public MetadataEntry this[int index]
    {
        get => _entries[index];
        set
        {
            ThrowIfReadOnly();
            _entries[index] = value;
        }
    }

    public void Add(string key, string value) => Add(new MetadataEntry(key, value));

    public void Add(string key, byte[] valueBytes) => Add(new MetadataEntry(key, valueBytes));

    public void Add(MetadataEntry item)
    {
        ThrowIfReadOnly();
        _entries.Add(item);
    }

    /// <summary>The last entry with this key, or null.</summary>
    public MetadataEntry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }

        return null;
    }

    /// <summary>The text value of the last entry with this key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The bytes of the last binary entry with this key, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerable<MetadataEntry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public void Clear()
    {
        ThrowIfReadOnly();
        _entries.Clear();
    }

    public bool Contains(MetadataEntry item) => _entries.Contains(item);

    public void CopyTo(MetadataEntry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    public IEnumerator<MetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public int IndexOf(MetadataEntry item) => _entries.IndexOf(item);

    public void Insert(int index, MetadataEntry item)
    {
        ThrowIfReadOnly();
        _entries.Insert(index, item);
    }

    public bool Remove(MetadataEntry item)
    {
        ThrowIfReadOnly();
        return _entries.Remove(item);
    }

    public void RemoveAt(int index)
    {
        ThrowIfReadOnly();
        _entries.RemoveAt(index);
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This metadata is read-only.");
        }
    }
}
