namespace Verify.Grpc;

/// <summary>One metadata entry: a text value, or bytes when the key ends in <c>-bin</c>.</summary>
public sealed class MetadataEntry
{
    private readonly string? _value;
    private readonly byte[]? _valueBytes;

    public MetadataEntry(string key, string value)
    {
        Key = NormalizeKey(key);
        if (IsBinaryKey(Key))
        {
            throw new ArgumentException($"Key '{Key}' ends in '-bin': give it bytes, not text.", nameof(key));
        }

        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw new ArgumentException($"The value of '{Key}' must be printable ASCII.", nameof(value));
            }
        }

        _value = value;
    }

    public MetadataEntry(string key, byte[] valueBytes)
    {
        Key = NormalizeKey(key);
        if (!IsBinaryKey(Key))
        {
            throw new ArgumentException($"Key '{Key}' carries bytes, so it must end in '-bin'.", nameof(key));
        }

        _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
    }

    public string Key { get; }

    public bool IsBinary => _valueBytes is not null;

    /// <summary>The text value; for a binary entry, an exception.</summary>
    public string Value => _value ?? throw new InvalidOperationException($"Entry '{Key}' is binary: read ValueBytes.");

    /// <summary>The bytes; for a text entry, its ASCII bytes.</summary>
    public byte[] ValueBytes => _valueBytes ?? System.Text.Encoding.ASCII.GetBytes(_value!);

    /// <summary>Whether a key may be used: 0-9 a-z _ - . (case-insensitive on the way in).</summary>
    public static bool IsValidKey(string key) =>
        key.Length > 0 && key.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-' or '.');

    /// <summary>Whether a text value may be used: printable ASCII.</summary>
    public static bool IsValidTextValue(string value) => value.All(c => c is >= (char)0x20 and <= (char)0x7E);

    public static bool IsBinaryKey(string key) => key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => IsBinary ? $"{Key}: <{_valueBytes!.Length} bytes>" : $"{Key}: {_value}";

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-' or '.'))
            {
                throw new ArgumentException($"Metadata key '{key}' may hold only 0-9 a-z _ - .", nameof(key));
            }
        }

        return lower;
    }
}
