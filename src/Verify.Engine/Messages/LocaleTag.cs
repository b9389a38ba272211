namespace Verify.Engine.Messages;

/// <summary>
/// The language, script and region of a BCP 47 tag (RFC 5646), in canonical case ("zh-Hans-CN"). Other
/// subtags (variants, extensions such as "-u-nu-latn") choose nothing among message templates and are dropped.
/// </summary>
internal readonly record struct LocaleTag(string Language, string? Script, string? Region)
{
    /// <summary>
    /// The script the text would be written in. Only Chinese is resolved (CLDR likely subtags: zh → Hans,
    /// zh-TW/HK/MO → Hant) because its two scripts are different written forms of the same language;
    /// for other languages a missing script means "the usual one" and matches anything.
    /// </summary>
    public string? InferredScript => Script ?? (Language == "zh" ? (Region is "TW" or "HK" or "MO" ? "Hant" : "Hans") : null);

    /// <summary>Whether text for one tag can be shown to a reader of the other: same language, no script clash.</summary>
    public bool IsReadableAs(LocaleTag other) =>
        Language == other.Language
        && (InferredScript is null || other.InferredScript is null || InferredScript == other.InferredScript);

    public override string ToString() =>
        Script is null
            ? Region is null ? Language : $"{Language}-{Region}"
            : Region is null ? $"{Language}-{Script}" : $"{Language}-{Script}-{Region}";

    /// <summary>
    /// A configuration key: exactly language[-Script][-REGION], with '-' (BCP 47), any letter case.
    /// </summary>
    public static bool TryParseStrict(string? value, out LocaleTag tag) => TryParse(value, strict: true, out tag);

    /// <summary>
    /// A caller's locale: also takes '_' (POSIX, Java) and ignores the subtags after the region, so
    /// "zh_Hant_TW" and "en-US-u-ca-gregory" find the templates a person would expect.
    /// </summary>
    public static bool TryParseLenient(string? value, out LocaleTag tag) => TryParse(value, strict: false, out tag);

    private static bool TryParse(string? value, bool strict, out LocaleTag tag)
    {
        tag = default;
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }

        var span = value.AsSpan();
        var separators = strict ? "-" : "-_";
        Span<Range> ranges = stackalloc Range[4];
        var count = span.SplitAny(ranges, separators);
        if (count == 0 || strict && count > 3)
        {
            return false;
        }

        var language = span[ranges[0]];
        if (language.Length is < 2 or > 3 || !IsAsciiLetters(language))
        {
            return false;
        }

        string? script = null;
        string? region = null;
        var next = 1;
        if (next < count && span[ranges[next]] is { Length: 4 } s && IsAsciiLetters(s))
        {
            script = string.Concat(char.ToUpperInvariant(s[0]).ToString(), s[1..].ToString().ToLowerInvariant());
            next++;
        }

        if (next < count && span[ranges[next]] is var r
            && (r.Length == 2 && IsAsciiLetters(r) || r.Length == 3 && r is [>= '0' and <= '9', >= '0' and <= '9', >= '0' and <= '9']))
        {
            region = r.ToString().ToUpperInvariant();
            next++;
        }

        if (strict && next < count)
        {
            return false;
        }

        tag = new LocaleTag(language.ToString().ToLowerInvariant(), script, region);
        return true;
    }

    private static bool IsAsciiLetters(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return !value.IsEmpty;
    }
}
