namespace Verify.Server.Delivery.Providers.Huawei;

/// <summary>Which Huawei template a message goes out as, and the values of its placeholders in order.</summary>
internal static class HuaweiTemplates
{
    public static readonly string[] KnownParameters = ["code", "minutes", "amount", "currency", "payee"];

    private static readonly string[] DefaultParameters = ["code"];

    public static bool IsKnownParameter(string name) => KnownParameters.Contains(name, StringComparer.Ordinal);

    /// <summary>The exact "{purpose}/{locale}" first, then the purpose alone, so one template can serve every locale of a purpose.</summary>
    public static string? Resolve(IReadOnlyDictionary<string, string> templates, SmsMessage message) =>
        templates.TryGetValue(message.TemplateId, out var exact) && !string.IsNullOrWhiteSpace(exact) ? exact
        : templates.TryGetValue(message.Purpose, out var byPurpose) && !string.IsNullOrWhiteSpace(byPurpose) ? byPurpose
        : null;

    /// <summary>The placeholder values in the configured order; false with the first missing name when the message lacks one.</summary>
    public static bool TryValues(string[]? parameters, SmsMessage message, out string[] values, out string? missing)
    {
        var names = parameters ?? DefaultParameters;
        values = new string[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!message.TemplateParameters.TryGetValue(names[i], out var value))
            {
                missing = names[i];
                return false;
            }

            values[i] = value;
        }

        missing = null;
        return true;
    }
}
