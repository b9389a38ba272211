namespace Verify.Engine.Messages;

/// <summary>A piece of a parsed template: literal text, or a placeholder when <see cref="Literal"/> is null.</summary>
internal readonly record struct TemplatePart(string? Literal, TemplatePlaceholder Placeholder)
{
    public static TemplatePart Text(string literal) => new(literal, default);

    public static TemplatePart Value(TemplatePlaceholder placeholder) => new(null, placeholder);
}
