namespace Verify.Server.Metrics;

/// <summary>
/// Lets a series dictionary be searched with the tags of a measurement as they arrive, in any order,
/// so recording into an existing series allocates nothing. Only canonical tags (<see cref="LabelSet.IsCanonical"/>)
/// may be looked up this way; for them the hash and equality agree with the label set they would make.
/// </summary>
internal sealed class LabelSetComparer : IEqualityComparer<LabelSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, LabelSet>
{
    public static LabelSetComparer Instance { get; } = new();

    private LabelSetComparer()
    {
    }

    public bool Equals(LabelSet? x, LabelSet? y) => x is null ? y is null : x.Equals(y);

    public int GetHashCode(LabelSet obj) => obj.GetHashCode();

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, LabelSet other) => other.Matches(alternate);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => LabelSet.HashOf(alternate);

    // Never reached through the lookups the exporter makes (it adds with a built LabelSet), but the interface needs it.
    // A histogram's tags are canonical only without "le", so false builds the same set for either kind.
    public LabelSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => LabelSet.Create(alternate, isHistogram: false);
}
