using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;

namespace Verify.Engine.Messages;

/// <summary>
/// Checks <see cref="MessageOptions"/>. Every error message starts with the configuration key to fix,
/// e.g. "Verify:Messages:Templates:login:en: unknown placeholder {cod} (allowed: …)", and the failure's
/// PropertyName is that key.
/// </summary>
internal sealed partial class MessageOptionsValidator : AbstractValidator<MessageOptions>
{
    public const int MaxBrandLength = 20;

    private const string Prefix = MessageOptions.SectionName;
    private const string LocaleRule = "must be a BCP 47 tag: language[-Script][-REGION], e.g. en, zh-CN, zh-Hant-TW, pt-BR";

    // Values that only a payment carries; the templates for "*" are also used for purposes that have none.
    private static readonly TemplatePlaceholder[] TransactionPlaceholders =
        [TemplatePlaceholder.Amount, TemplatePlaceholder.Currency, TemplatePlaceholder.Payee];

    public MessageOptionsValidator()
    {
        RuleFor(o => o.Brand).Custom(ValidateBrand);
        RuleFor(o => o.DefaultLocale).Custom(ValidateDefaultLocale);
        RuleFor(o => o.Templates).Custom(ValidateTemplates);
    }

    private static void ValidateBrand(string? brand, ValidationContext<MessageOptions> context)
    {
        const string key = Prefix + ":Brand";
        if (string.IsNullOrWhiteSpace(brand))
        {
            Fail(context, key, "must not be empty");
        }
        else if (brand.Length > MaxBrandLength)
        {
            Fail(context, key, $"must be 1 to {MaxBrandLength} characters (is {brand.Length})");
        }
        else if (MessageValueSanitizer.Clean(brand) != brand)
        {
            Fail(context, key, "must not have line breaks, control characters or surrounding spaces");
        }
        else if (brand.AsSpan().IndexOfAny("{}【】") >= 0)
        {
            Fail(context, key, "must not contain { } 【 】 (it is put inside the signature)");
        }
    }

    private static void ValidateDefaultLocale(string? locale, ValidationContext<MessageOptions> context)
    {
        const string key = Prefix + ":DefaultLocale";
        if (!LocaleTag.TryParseStrict(locale, out var tag))
        {
            Fail(context, key, $"\"{locale}\" {LocaleRule}");
            return;
        }

        // Every render ends at the "*" templates in the default locale: without one, some message has no text.
        var anyPurposeLocales = BuiltInTemplates.All[BuiltInTemplates.AnyPurpose].Keys
            .Concat(ConfiguredLocales(context.InstanceToValidate.Templates, BuiltInTemplates.AnyPurpose))
            .Select(k => LocaleTag.TryParseStrict(k, out var t) ? t : (LocaleTag?)null)
            .OfType<LocaleTag>()
            .ToList();
        if (LocaleMatcher.FindBest(tag, anyPurposeLocales) < 0)
        {
            Fail(context, key, $"no template for purpose \"*\" can serve \"{locale}\": add {Prefix}:Templates:*:{locale}");
        }
    }

    private static void ValidateTemplates(Dictionary<string, Dictionary<string, string>>? templates, ValidationContext<MessageOptions> context)
    {
        if (templates is null)
        {
            return;
        }

        var purposes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (purpose, locales) in templates)
        {
            var purposeKey = $"{Prefix}:Templates:{purpose}";
            if (!purposes.Add(purpose))
            {
                Fail(context, purposeKey, "is given twice (keys are case-insensitive)");
            }

            if (purpose != BuiltInTemplates.AnyPurpose && !PurposeName().IsMatch(purpose))
            {
                Fail(context, purposeKey, "a purpose is \"*\" or 1 to 32 of a-z 0-9 _ - starting with a letter");
                continue;
            }

            if (locales is null || locales.Count == 0)
            {
                Fail(context, purposeKey, "has no templates: give them by locale, e.g. " + purposeKey + ":en");
                continue;
            }

            var seen = new HashSet<LocaleTag>();
            foreach (var (locale, text) in locales)
            {
                ValidateTemplate(context, purpose, $"{purposeKey}:{locale}", locale, text, seen);
            }
        }
    }

    private static void ValidateTemplate(
        ValidationContext<MessageOptions> context, string purpose, string key, string locale, string? text, HashSet<LocaleTag> seen)
    {
        if (!LocaleTag.TryParseStrict(locale, out var tag))
        {
            Fail(context, key, $"locale \"{locale}\" {LocaleRule}");
        }
        else if (!seen.Add(tag))
        {
            Fail(context, key, $"locale \"{locale}\" is given twice (as {tag}; keys are case-insensitive)");
        }

        if (!MessageTemplate.TryParse(text, out var template, out var errors))
        {
            foreach (var error in errors)
            {
                Fail(context, key, error);
            }

            return;
        }

        if (string.Equals(purpose, "payment", StringComparison.OrdinalIgnoreCase))
        {
            var missing = TransactionPlaceholders.Where(p => !template!.Uses(p)).Select(p => $"{{{TemplatePlaceholders.Name(p)}}}").ToList();
            if (missing.Count > 0)
            {
                Fail(context, key, $"a payment text must show what is paid to whom (PSD2 dynamic linking): missing {string.Join(", ", missing)}");
            }
        }
        else if (purpose == BuiltInTemplates.AnyPurpose)
        {
            var used = TransactionPlaceholders.Where(template!.Uses).Select(p => $"{{{TemplatePlaceholders.Name(p)}}}").ToList();
            if (used.Count > 0)
            {
                Fail(context, key, $"{string.Join(", ", used)} cannot be used in a \"*\" template: purposes without a payment have no such value");
            }
        }
    }

    private static IEnumerable<string> ConfiguredLocales(Dictionary<string, Dictionary<string, string>>? templates, string purpose) =>
        templates is not null && templates.TryGetValue(purpose, out var locales) && locales is not null
            ? locales.Where(l => MessageTemplate.TryParse(l.Value, out _, out _)).Select(l => l.Key)
            : [];

    private static void Fail(ValidationContext<MessageOptions> context, string key, string message) =>
        context.AddFailure(new ValidationFailure(key, $"{key}: {message}"));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}\\z")]
    private static partial Regex PurposeName();
}
