namespace Verify.Server.Metrics;

/// <summary>
/// The labels of one series: sorted by name (ordinal), no empty values, no duplicate names. Immutable.
/// </summary>
internal sealed class LabelSet : IEquatable<LabelSet>, IComparable<LabelSet>
{
    /// <summary>The label of the series that takes measurements once a metric has too many series.</summary>
    public const string OverflowLabel = "otel_metric_overflow";

    /// <summary>Histogram buckets own this label name; a tag of that name on a histogram is renamed <c>key_le</c>.</summary>
    public const string BucketLabel = "le";

    private readonly string[] _names;
    private readonly string[] _values;
    private readonly int _hashCode;

    private LabelSet(string[] names, string[] values)
    {
        _names = names;
        _values = values;
        var hash = names.Length;
        for (var i = 0; i < names.Length; i++)
        {
            hash = unchecked(hash + PairHash(names[i], values[i]));
        }

        _hashCode = hash;
    }

    public static LabelSet Empty { get; } = new([], []);

    public static LabelSet Overflow { get; } = new([OverflowLabel], ["true"]);

    public int Count => _names.Length;

    /// <summary>
    /// True when the tags already are a label set as given (valid unique names, non-empty string values),
    /// so a series can be found from them without building one: the allocation-free path.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<KeyValuePair<string, object?>> tags, bool isHistogram)
    {
        for (var i = 0; i < tags.Length; i++)
        {
            var name = tags[i].Key;
            if (tags[i].Value is not string { Length: > 0 }
                || name is null
                || !PrometheusFormat.IsValidLabelName(name)
                || (isHistogram && name == BucketLabel))
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(tags[j].Key, name, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The label set of any tags: names translated, empty values dropped (Prometheus treats an empty label as absent,
    /// so keeping it would make two series of one), and of two tags with one label name the later wins.
    /// </summary>
    public static LabelSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags, bool isHistogram)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var labels = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var tag in tags)
        {
            var name = PrometheusFormat.LabelName(tag.Key);
            var value = PrometheusFormat.LabelValue(tag.Value);
            if (name is null)
            {
                continue;
            }

            if (isHistogram && name == BucketLabel)
            {
                name = "key_" + BucketLabel;
            }

            labels.RemoveAll(label => label.Key == name);
            if (value.Length > 0)
            {
                labels.Add(new(name, value));
            }
        }

        if (labels.Count == 0)
        {
            return Empty;
        }

        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new LabelSet([.. labels.Select(l => l.Key)], [.. labels.Select(l => l.Value)]);
    }

    /// <summary>Equal to <see cref="GetHashCode"/> of the label set the tags make; only meaningful for canonical tags.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash = unchecked(hash + PairHash(tag.Key, (string)tag.Value!));
        }

        return hash;
    }

    /// <summary>True when canonical tags hold exactly these labels, in any order.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _names.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            var index = IndexOf(tag.Key);
            if (index < 0 || !string.Equals(_values[index], tag.Value as string, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(LabelSet? other) =>
        ReferenceEquals(this, other)
        || (other is not null && _hashCode == other._hashCode && _names.AsSpan().SequenceEqual(other._names) && _values.AsSpan().SequenceEqual(other._values));

    public override bool Equals(object? obj) => obj is LabelSet other && Equals(other);

    public override int GetHashCode() => _hashCode;

    /// <summary>Ordinal, label by label (name, then value); a prefix sorts first. Gives the stable order of series.</summary>
    public int CompareTo(LabelSet? other)
    {
        if (other is null)
        {
            return 1;
        }

        var count = Math.Min(_names.Length, other._names.Length);
        for (var i = 0; i < count; i++)
        {
            var compared = string.CompareOrdinal(_names[i], other._names[i]);
            if (compared == 0)
            {
                compared = string.CompareOrdinal(_values[i], other._values[i]);
            }

            if (compared != 0)
            {
                return compared;
            }
        }

        return _names.Length.CompareTo(other._names.Length);
    }

    /// <summary>
    /// Writes <c>{name="value",...}</c>, with <paramref name="extraName"/> (a bucket's <c>le</c>) merged in name order;
    /// nothing at all when there are no labels.
    /// </summary>
    public void WriteTo(TextWriter writer, string? extraName = null, string? extraValue = null)
    {
        if (_names.Length == 0 && extraName is null)
        {
            return;
        }

        writer.Write('{');
        var first = true;
        var extraPending = extraName is not null;
        for (var i = 0; i < _names.Length; i++)
        {
            if (extraPending && string.CompareOrdinal(extraName, _names[i]) < 0)
            {
                WriteLabel(writer, extraName!, extraValue ?? string.Empty, ref first);
                extraPending = false;
            }

            WriteLabel(writer, _names[i], _values[i], ref first);
        }

        if (extraPending)
        {
            WriteLabel(writer, extraName!, extraValue ?? string.Empty, ref first);
        }

        writer.Write('}');
    }

    public override string ToString()
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteTo(writer);
        return writer.ToString();
    }

    private static int PairHash(string name, string value) => HashCode.Combine(name.GetHashCode(), value.GetHashCode());

    private static void WriteLabel(TextWriter writer, string name, string value, ref bool first)
    {
        if (!first)
        {
            writer.Write(',');
        }

        first = false;
        writer.Write(name);
        writer.Write("=\"");
        PrometheusFormat.WriteLabelValue(writer, value);
        writer.Write('"');
    }

    private int IndexOf(string name)
    {
        // Binary search: the names are sorted ordinal, and a handful at most.
        int low = 0, high = _names.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var compared = string.CompareOrdinal(_names[middle], name);
            if (compared == 0)
            {
                return middle;
            }

            if (compared < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }
}
