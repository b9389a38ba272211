namespace Verify.Engine.Storage.Redis;

/// <summary>
/// The one definition of a stored record's fields, in their MessagePack order. <see cref="RedisRecordCodec"/>
/// reads and writes them in this order, and every script's prelude gets its record decoder and encoder
/// generated from the same list, so a field is added here, at the end, and nowhere else in the layout.
/// </summary>
internal static class RedisRecordLayout
{
    /// <summary>How a field is kept: text or bytes as they are; numbers; times as milliseconds after <c>c</c> (the creation).</summary>
    public enum Kind
    {
        Text,
        Number,
        TimeAfterCreated,
    }

    /// <summary>
    /// <c>n</c> number, <c>u</c> purpose, <c>l</c> locale, <c>s</c> status, <c>c</c> created, <c>x</c> expires,
    /// <c>w</c> next send, <c>m</c> max attempts, <c>f</c> failed attempts, <c>q</c> sends, <c>d</c> delivery,
    /// <c>len</c>/<c>a</c> code length and alphabet, <c>sid</c> last send (8 bytes), <c>o</c> owner tag (6 bytes),
    /// <c>idem</c> idempotency key, <c>k</c>/<c>h</c>/<c>e</c>/<c>t</c> code key id, HMAC, expiry, transaction
    /// fingerprint, <c>pk</c>/<c>ph</c>/<c>pe</c>/<c>pt</c> the code before a resend when it is kept, <c>ch</c> channel,
    /// <c>rw</c>/<c>lu</c> the number's wrong codes in a row for the purpose and its lockout's end while this record is
    /// live (a check then touches no other key; absent when the number's state alone keeps them: a record of the release
    /// before, or one written with <c>Verify:Redis:WrongCodesInRecord</c> false).
    /// Statuses and delivery states are the enums' numbers (pending 0, approved 1, canceled 2, locked 4, burned 5).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, Kind Kind)> Fields =
    [
        ("n", Kind.Text), ("u", Kind.Text), ("l", Kind.Text), ("s", Kind.Number), ("c", Kind.Number),
        ("x", Kind.TimeAfterCreated), ("w", Kind.TimeAfterCreated), ("m", Kind.Number), ("f", Kind.Number), ("q", Kind.Number),
        ("d", Kind.Number), ("len", Kind.Number), ("a", Kind.Number), ("sid", Kind.Text), ("o", Kind.Text), ("idem", Kind.Text),
        ("k", Kind.Text), ("h", Kind.Text), ("e", Kind.TimeAfterCreated), ("t", Kind.Text),
        ("pk", Kind.Text), ("ph", Kind.Text), ("pe", Kind.TimeAfterCreated), ("pt", Kind.Text),
        ("ch", Kind.Number), ("rw", Kind.Number), ("lu", Kind.TimeAfterCreated),
    ];

    /// <summary>
    /// The fewest fields a record is written with: an array ends at its last present field, but never before
    /// <c>ch</c>, the last field of the release before this one, whose readers take exactly this many.
    /// </summary>
    public const int ShortestWritten = 25;

    /// <summary>
    /// The prelude's record decoder and encoder, written out field by field: one table constructor each way
    /// instead of a loop over the names (a loop with a lookup and a conversion per field cost ~9 µs of
    /// Redis CPU each way, on every check). <c>v</c> is the unpacked array, <c>r</c> the record, <c>c</c>
    /// its creation time; numbers stay Lua numbers; absent fields are nil in <c>r</c> and false in <c>v</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LuaTables() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["$RecordDecode"] = string.Join(", ", Fields.Select((f, i) => f.Kind == Kind.TimeAfterCreated
            ? $"{f.Name} = v[{i + 1}] and c + v[{i + 1}] or nil"
            : $"{f.Name} = v[{i + 1}] or nil")),
        ["$RecordEncode"] = string.Join(", ", Fields.Select(f => f.Kind switch
        {
            Kind.Text => $"r.{f.Name} or false",
            Kind.Number => $"r.{f.Name} and tonumber(r.{f.Name}) or false",
            _ => $"r.{f.Name} and tonumber(r.{f.Name}) - c or false",
        })),
        ["$RecordFieldCount"] = Fields.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["$RecordShortestWritten"] = ShortestWritten.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["$CreatedIndex"] = Index("c"),
        ["$RecordIndex(sid)"] = Index("sid"),
        ["$RecordIndex(d)"] = Index("d"),
    };

    /// <summary>A field's 1-based place in the array, for a script that patches one field without decoding the record.</summary>
    private static string Index(string name) =>
        (Fields.Select((f, i) => (f.Name, i)).Single(f => f.Name == name).i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
