namespace Verify.Delivery.Providers;

/// <summary>
/// Which registered template a message goes out as, and the values of its placeholders, for the providers
/// that only send approved templates (Aliyun, Tencent, Huawei, Ronglian).
/// </summary>
internal static class ProviderTemplates
{
    /// <summary>The template parameters Verify renders; a configured name outside them is a typo.</summary>
    public static readonly string[] KnownParameters = ["code", "minutes", "amount", "currency", "payee"];

    /// <summary>
    /// The template mapped for <paramref name="message"/>: its exact "{purpose}/{locale}", then, with
    /// <paramref name="byLanguage"/>, "{purpose}/{language}", then the purpose alone; null when none is.
    /// The language step is explicit because only some providers document it (Aliyun and Tencent do,
    /// Huawei and Ronglian do not).
    /// </summary>
    public static string? Resolve(IReadOnlyDictionary<string, string> templates, SmsMessage message, bool byLanguage)
    {
        var dash = message.Locale.IndexOf('-', StringComparison.Ordinal);
        string?[] candidates =
        [
            message.TemplateId,
            byLanguage && dash > 0 ? $"{message.Purpose}/{message.Locale[..dash]}" : null,
            message.Purpose,
        ];
        foreach (var key in candidates)
        {
            if (key is not null && Lookup(templates, key) is { } template && !string.IsNullOrWhiteSpace(template))
            {
                return template;
            }
        }

        return null;
    }

    /// <summary>
    /// The failure of a send whose template has no mapping: the router tries the next provider. A gap in our
    /// configuration for this purpose and locale says nothing of the provider, so its breaker does not count it.
    /// </summary>
    public static SendResult NoTemplate(string provider, SmsMessage message) =>
        SendResult.Rejected($"{provider}: no template for {message.TemplateId}");

    /// <summary>The placeholder values in the configured order; false with the first missing name, as positions cannot be skipped.</summary>
    public static bool TryValues(IReadOnlyList<string> names, SmsMessage message, out string[] values, out string? missing)
    {
        values = new string[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            if (Lookup(message.TemplateParameters, names[i]) is not { } value)
            {
                missing = names[i];
                values = [];
                return false;
            }

            values[i] = value;
        }

        missing = null;
        return true;
    }

    /// <summary>The value under <paramref name="key"/>, whatever its case: the binder may have replaced a case-insensitive dictionary with its own.</summary>
    public static string? Lookup(IReadOnlyDictionary<string, string> map, string key) =>
        map.TryGetValue(key, out var exact)
            ? exact
            : map.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
