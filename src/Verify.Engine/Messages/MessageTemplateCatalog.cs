using System.Globalization;
using Verify.Delivery.Sms;

namespace Verify.Engine.Messages;

/// <summary>
/// The message templates in force (built-in ones overridden entry by entry by configuration), parsed once,
/// and the rendering of a message for a purpose and a reader's locale.
/// </summary>
/// <remarks>
/// Which template: the purpose's own templates first, then (for a payment-like request that carries an
/// amount) the "payment" ones, then "*"; within each, the reader's locale as <see cref="LocaleMatcher"/>
/// ranks it, then the DefaultLocale. The purpose wins over the language on purpose: its wording ("to pay
/// 25.00 EUR to ACME", "your login code") is what lets a user notice a code asked for the wrong reason,
/// so a translated "*" text does not replace it; localise a purpose by configuring its locale.
/// </remarks>
internal sealed class MessageTemplateCatalog
{
    /// <summary>Longest values assumed by <see cref="FindMultiSegmentTemplates"/>: ten minutes (the longest TTL policies allow).</summary>
    public const string WorstCaseMinutes = "10";

    /// <summary>An amount under one hundred million with cents, which covers what an SMS-confirmed payment is for.</summary>
    public const string WorstCaseAmount = "99999999.99";

    public const string WorstCaseCurrency = "EUR";

    /// <summary>Payee characters assumed by default: a typical merchant name; pass a longer one for stricter checks.</summary>
    public const int WorstCasePayeeLength = 20;

    private const string PaymentPurpose = "payment";

    private readonly Dictionary<string, PurposeTemplates> _purposes = new(StringComparer.OrdinalIgnoreCase);
    private readonly LocaleTag? _defaultLocale;

    /// <summary>
    /// Builds the catalog. Invalid entries (bad locale key, unparsable text) are left out rather than thrown
    /// on, so that the host can report all of <see cref="MessageOptionsValidator"/>'s errors at once.
    /// </summary>
    public MessageTemplateCatalog(MessageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Brand = MessageValueSanitizer.Clean(options.Brand ?? "");
        _defaultLocale = LocaleTag.TryParseStrict(options.DefaultLocale, out var defaultLocale) ? defaultLocale : null;

        var merged = new Dictionary<string, Dictionary<LocaleTag, MessageTemplate>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (purpose, locales) in BuiltInTemplates.All)
        {
            Add(merged, purpose, locales);
        }

        foreach (var (purpose, locales) in options.Templates ?? [])
        {
            if (locales is not null)
            {
                Add(merged, purpose, locales);
            }
        }

        foreach (var (purpose, templates) in merged)
        {
            _purposes[purpose] = new PurposeTemplates(purpose.ToLowerInvariant(), templates);
        }
    }

    /// <summary>The brand as shown in the signature.</summary>
    public string Brand { get; }

    /// <summary>The purposes with templates of their own, "*" included.</summary>
    public IReadOnlyCollection<string> Purposes => _purposes.Keys;

    /// <summary>
    /// Renders the message for <paramref name="purpose"/> in the locale closest to <paramref name="locale"/>
    /// (null, empty or unreadable: the DefaultLocale). Values are cleaned of line breaks and control
    /// characters first (<see cref="MessageValueSanitizer"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The template shows a value that <paramref name="parameters"/> lacks (e.g. a payee).</exception>
    public RenderedMessage Render(string purpose, string? locale, MessageParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrEmpty(parameters.Code);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameters.Minutes);
        var entry = Resolve(purpose, locale, isPayment: parameters.Amount is not null);
        var values = new PlaceholderValues(
            MessageValueSanitizer.Clean(parameters.Code),
            parameters.Minutes.ToString(CultureInfo.InvariantCulture),
            Brand,
            parameters.Amount is null ? null : MessageValueSanitizer.Clean(parameters.Amount),
            parameters.Currency is null ? null : MessageValueSanitizer.Clean(parameters.Currency),
            parameters.Payee is null ? null : MessageValueSanitizer.Clean(parameters.Payee));
        return Render(entry, values);
    }

    /// <summary>
    /// The templates that need more than one SMS with the longest values: a code of
    /// <paramref name="maxCodeLength"/> characters, <see cref="WorstCaseMinutes"/> minutes, amount
    /// <see cref="WorstCaseAmount"/>, currency <see cref="WorstCaseCurrency"/>, a payee of
    /// <paramref name="payeeLength"/> characters and the configured brand. The values are GSM-7 characters:
    /// a payee outside GSM-7 makes an English text UCS-2, which no length check can foresee.
    /// </summary>
    public IReadOnlyList<MultiSegmentTemplate> FindMultiSegmentTemplates(int maxCodeLength, int payeeLength = WorstCasePayeeLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCodeLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(payeeLength);
        var values = new PlaceholderValues(
            new string('9', maxCodeLength), WorstCaseMinutes, Brand, WorstCaseAmount, WorstCaseCurrency, new string('P', payeeLength));
        var found = new List<MultiSegmentTemplate>();
        foreach (var purpose in _purposes.Values.OrderBy(p => p.Purpose, StringComparer.Ordinal))
        {
            foreach (var entry in purpose.Entries)
            {
                var segments = Render(entry, values).Segments;
                if (segments.Segments > 1)
                {
                    found.Add(new MultiSegmentTemplate(purpose.Purpose, entry.Locale, segments));
                }
            }
        }

        return found;
    }

    private static void Add(Dictionary<string, Dictionary<LocaleTag, MessageTemplate>> merged, string purpose, IEnumerable<KeyValuePair<string, string>> locales)
    {
        foreach (var (locale, text) in locales)
        {
            if (LocaleTag.TryParseStrict(locale, out var tag) && MessageTemplate.TryParse(text, out var template, out _))
            {
                if (!merged.TryGetValue(purpose, out var templates))
                {
                    merged[purpose] = templates = [];
                }

                templates[tag] = template!;
            }
        }
    }

    private TemplateEntry Resolve(string purpose, string? locale, bool isPayment)
    {
        LocaleTag? requested = LocaleTag.TryParseLenient(locale, out var tag) ? tag : null;
        TemplateEntry? found = null;
        if (_purposes.TryGetValue(purpose, out var own))
        {
            found = own.Find(requested, _defaultLocale);
        }

        if (found is null && isPayment && _purposes.TryGetValue(PaymentPurpose, out var payment))
        {
            found = payment.Find(requested, _defaultLocale);
        }

        if (found is null && _purposes.TryGetValue(BuiltInTemplates.AnyPurpose, out var any))
        {
            found = any.Find(requested, _defaultLocale);
        }

        return found ?? throw new InvalidOperationException(
            $"No template for purpose \"{purpose}\" and locale \"{locale}\": {MessageOptions.SectionName} has errors that MessageOptionsValidator reports.");
    }

    private static RenderedMessage Render(TemplateEntry entry, PlaceholderValues values)
    {
        var placeholders = entry.Template.Placeholders;
        var parameters = new Dictionary<string, string>(placeholders.Count, StringComparer.Ordinal);
        foreach (var placeholder in placeholders)
        {
            var value = values[placeholder];
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException(
                    $"Template {entry.TemplateId} shows {{{TemplatePlaceholders.Name(placeholder)}}}, but the message has no value for it.", nameof(values));
            }

            parameters[TemplatePlaceholders.Name(placeholder)] = value;
        }

        var parts = entry.Template.Parts;
        var length = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            length += parts[i].Literal?.Length ?? values[parts[i].Placeholder]!.Length;
        }

        var text = string.Create(length, (parts, values), static (span, state) =>
        {
            for (var i = 0; i < state.parts.Count; i++)
            {
                var piece = state.parts[i].Literal ?? state.values[state.parts[i].Placeholder]!;
                piece.CopyTo(span);
                span = span[piece.Length..];
            }
        });

        return new RenderedMessage(text, entry.Locale, entry.TemplateId, parameters, SmsEncoding.Analyze(text));
    }

    private sealed record TemplateEntry(string Locale, string TemplateId, MessageTemplate Template);

    /// <summary>One purpose's templates, in ordinal order of locale (see <see cref="LocaleMatcher.FindBest"/>).</summary>
    private sealed class PurposeTemplates
    {
        private readonly LocaleTag[] _locales;

        public PurposeTemplates(string purpose, Dictionary<LocaleTag, MessageTemplate> templates)
        {
            Purpose = purpose;
            var ordered = templates.OrderBy(t => t.Key.ToString(), StringComparer.Ordinal).ToArray();
            _locales = [.. ordered.Select(t => t.Key)];
            Entries = [.. ordered.Select(t => new TemplateEntry(t.Key.ToString(), $"{purpose}/{t.Key}", t.Value))];
        }

        public string Purpose { get; }

        public IReadOnlyList<TemplateEntry> Entries { get; }

        public TemplateEntry? Find(LocaleTag? requested, LocaleTag? defaultLocale)
        {
            var index = requested is { } r ? LocaleMatcher.FindBest(r, _locales) : -1;
            if (index < 0 && defaultLocale is { } d)
            {
                index = LocaleMatcher.FindBest(d, _locales);
            }

            return index < 0 ? null : Entries[index];
        }
    }

    /// <summary>The cleaned values of one message, by placeholder; null where the message has none.</summary>
    private readonly record struct PlaceholderValues(string Code, string Minutes, string Brand, string? Amount, string? Currency, string? Payee)
    {
        public string? this[TemplatePlaceholder placeholder] => placeholder switch
        {
            TemplatePlaceholder.Code => Code,
            TemplatePlaceholder.Minutes => Minutes,
            TemplatePlaceholder.Brand => Brand,
            TemplatePlaceholder.Amount => Amount,
            TemplatePlaceholder.Currency => Currency,
            TemplatePlaceholder.Payee => Payee,
            _ => throw new ArgumentOutOfRangeException(nameof(placeholder)),
        };
    }
}
