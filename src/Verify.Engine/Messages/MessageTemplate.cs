namespace Verify.Engine.Messages;

/// <summary>
/// A template split once into literal text and placeholders, so rendering is a copy of parts. Syntax:
/// <c>{name}</c> with a name from <see cref="TemplatePlaceholders"/>; braces have no other meaning and
/// no escape, so a lone brace is an error (an SMS code has no use for one, and GSM-7 charges 2 septets).
/// </summary>
internal sealed class MessageTemplate
{
    private MessageTemplate(string source, TemplatePart[] parts)
    {
        Source = source;
        Parts = parts;
        Placeholders = parts.Where(p => p.Literal is null).Select(p => p.Placeholder).Distinct().ToArray();
    }

    public string Source { get; }

    public IReadOnlyList<TemplatePart> Parts { get; }

    /// <summary>The placeholders used, each once, in order of first use.</summary>
    public IReadOnlyList<TemplatePlaceholder> Placeholders { get; }

    public bool Uses(TemplatePlaceholder placeholder) => Placeholders.Contains(placeholder);

    /// <summary>Parses <paramref name="text"/>; on failure, <paramref name="errors"/> says every problem found.</summary>
    public static bool TryParse(string? text, out MessageTemplate? template, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var parts = new List<TemplatePart>();
        if (string.IsNullOrWhiteSpace(text))
        {
            template = null;
            errors = ["template is empty"];
            return false;
        }

        var literalStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '}')
            {
                problems.Add($"'}}' at position {i} closes no placeholder");
                i++;
                continue;
            }

            if (text[i] != '{')
            {
                i++;
                continue;
            }

            var close = text.IndexOfAny(['{', '}'], i + 1);
            if (close < 0 || text[close] == '{')
            {
                problems.Add($"'{{' at position {i} is not closed");
                i++;
                continue;
            }

            if (i > literalStart)
            {
                parts.Add(TemplatePart.Text(text[literalStart..i]));
            }

            var name = text.AsSpan(i + 1, close - i - 1);
            if (TemplatePlaceholders.TryParse(name, out var placeholder))
            {
                parts.Add(TemplatePart.Value(placeholder));
            }
            else
            {
                problems.Add($"unknown placeholder {{{name}}} (allowed: {TemplatePlaceholders.AllowedList})");
            }

            i = close + 1;
            literalStart = i;
        }

        if (literalStart < text.Length)
        {
            parts.Add(TemplatePart.Text(text[literalStart..]));
        }

        if (!parts.Any(p => p.Literal is null && p.Placeholder == TemplatePlaceholder.Code))
        {
            problems.Add("missing required placeholder {code}");
        }

        errors = problems;
        template = problems.Count == 0 ? new MessageTemplate(text, [.. parts]) : null;
        return template is not null;
    }
}
