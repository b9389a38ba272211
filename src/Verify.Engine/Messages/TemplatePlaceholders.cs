namespace Verify.Engine.Messages;

/// <summary>The placeholder names as written in templates and as keys of <see cref="RenderedMessage.Parameters"/>.</summary>
internal static class TemplatePlaceholders
{
    private static readonly string[] Names = ["code", "minutes", "brand", "amount", "currency", "payee"];

    /// <summary>"{code}, {minutes}, …", for error messages.</summary>
    public static readonly string AllowedList = string.Join(", ", Names.Select(n => "{" + n + "}"));

    public static string Name(TemplatePlaceholder placeholder) => Names[(int)placeholder];

    /// <summary>Exact, lower-case names only: "{Code}" is a typo to report, not a guess to make.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out TemplatePlaceholder placeholder)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                placeholder = (TemplatePlaceholder)i;
                return true;
            }
        }

        placeholder = default;
        return false;
    }
}
