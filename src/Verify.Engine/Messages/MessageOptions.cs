namespace Verify.Engine.Messages;

/// <summary>The SMS texts, bound from <c>Verify:Messages</c>. Checked by <see cref="MessageOptionsValidator"/>.</summary>
internal sealed class MessageOptions
{
    public const string SectionName = "Verify:Messages";

    /// <summary>The signature, 1 to 20 characters: "【Brand】" in Chinese texts, "Brand: " in English ones. Defaults to "Verify".</summary>
    public string Brand { get; set; } = "Verify";

    /// <summary>
    /// Templates by purpose ("*" for any purpose without its own) and BCP 47 locale, e.g.
    /// <c>Verify:Messages:Templates:login:en</c>. Each entry replaces the built-in one for the same
    /// purpose and locale; the other built-in entries stay. Keys are case-insensitive.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The locale used when the caller's locale has no template. Defaults to "en".</summary>
    public string DefaultLocale { get; set; } = "en";
}
