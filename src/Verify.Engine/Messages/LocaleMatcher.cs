namespace Verify.Engine.Messages;

/// <summary>
/// Picks the template locale closest to what a reader asked for. From best to worst:
/// <list type="number">
/// <item>the same tag ("zh-cn" finds "zh-CN");</item>
/// <item>the same language and region in another spelling ("zh-Hans-CN" finds "zh-CN", "zh-TW" finds "zh-Hant-TW");</item>
/// <item>the language without a region ("en-GB" finds "en", "zh-TW" finds "zh-Hant");</item>
/// <item>the same language for another region ("pt-PT" finds "pt-BR", "zh-SG" finds "zh-CN").</item>
/// </list>
/// A candidate must be readable in the reader's script: Traditional Chinese readers (zh-TW, zh-HK, zh-MO,
/// zh-Hant) never get a Simplified template (zh, zh-CN, zh-SG, zh-Hans), as CLDR does (its parent of
/// zh-Hant is root, not zh). Showing mainland Simplified text, with its mainland-style 【】 signature,
/// to a Taiwan or Hong Kong reader reads as the wrong service; the caller's DefaultLocale is the better
/// fallback. It is used only when nothing else matches, or when the DefaultLocale is itself Simplified.
/// </summary>
internal static class LocaleMatcher
{
    private const int NoMatch = int.MaxValue;

    /// <summary>
    /// The index in <paramref name="available"/> of the best match, or -1 if none is readable. Of equally
    /// good ones the first wins: callers keep <paramref name="available"/> in ordinal order of the tags,
    /// so the choice does not depend on the order of the configuration.
    /// </summary>
    public static int FindBest(LocaleTag requested, IReadOnlyList<LocaleTag> available)
    {
        var best = -1;
        var bestRank = NoMatch;
        for (var i = 0; i < available.Count && bestRank > 0; i++)
        {
            var rank = Rank(requested, available[i]);
            if (rank < bestRank)
            {
                best = i;
                bestRank = rank;
            }
        }

        return best;
    }

    private static int Rank(LocaleTag requested, LocaleTag candidate)
    {
        if (candidate == requested)
        {
            return 0;
        }

        if (!requested.IsReadableAs(candidate))
        {
            return NoMatch;
        }

        if (candidate.Region is not null && candidate.Region == requested.Region)
        {
            return 1;
        }

        return candidate.Region is null ? 2 : 3;
    }
}
