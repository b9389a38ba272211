using System.Xml;
using System.Xml.Linq;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>
/// The TwiML of a call that speaks the code: the sentence "Your {brand} code is 1, 2, 3, 4, 5, 6." in the
/// message's language, a pause, then the code once more. Each character of the code is its own item
/// of a comma-separated list, so text-to-speech reads digits one by one ("one, two, three") rather
/// than as a number ("one hundred twenty-three"), with a short pause at each comma.
/// <para>
/// Languages: those Twilio's default voice (<c>man</c>, used since no voice is named) speaks — English
/// (en-US; en-GB for a British locale), Spanish (es-ES), French (fr-FR), German (de-DE). Any other
/// locale gets the English sentence with <c>language="en-US"</c>: an English voice reading a foreign
/// sentence would be unintelligible, and naming a language the voice lacks fails the call.
/// </para>
/// Only the code, the brand and the fixed sentence are in the script: no number, no id, no other text.
/// </summary>
internal static class TwilioVoiceScript
{
    private static readonly Phrasing English = new("en-US", "Your {0} code is", "Again, your code is");

    private static readonly Dictionary<string, Phrasing> ByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = English,
        ["es"] = new("es-ES", "Su código de {0} es", "Repito, su código es"),
        ["fr"] = new("fr-FR", "Votre code {0} est", "Je répète, votre code est"),
        ["de"] = new("de-DE", "Ihr {0}-Code lautet", "Noch einmal, Ihr Code lautet"),
    };

    /// <summary>The TwiML, or null when the message carries no code to speak.</summary>
    public static string? Build(SmsMessage message)
    {
        if (!message.TemplateParameters.TryGetValue("code", out var code) || string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var phrasing = PhrasingFor(message.Locale);
        var spoken = string.Join(", ", code.Where(c => !char.IsWhiteSpace(c)).Select(c => c.ToString()));
        var brand = XmlSafe(message.Signature);
        var first = string.Format(System.Globalization.CultureInfo.InvariantCulture, phrasing.Intro, brand) + " " + spoken + ".";
        var again = phrasing.Again + " " + spoken + ".";

        var twiml = new XElement(
            "Response",
            new XElement("Say", new XAttribute("language", phrasing.Language), first),
            new XElement("Pause", new XAttribute("length", 1)),
            new XElement("Say", new XAttribute("language", phrasing.Language), again));
        return twiml.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The <c>language</c> of the <c>Say</c> verbs for a locale such as "en", "en-GB", "fr-CA", "zh-CN".</summary>
    public static string LanguageFor(string locale) => PhrasingFor(locale).Language;

    private static Phrasing PhrasingFor(string locale)
    {
        var separator = locale.IndexOfAny(['-', '_']);
        var language = separator < 0 ? locale : locale[..separator];
        if (!ByLanguage.TryGetValue(language, out var phrasing))
        {
            return English;
        }

        return phrasing == English && separator > 0 && locale[(separator + 1)..].Equals("GB", StringComparison.OrdinalIgnoreCase)
            ? phrasing with { Language = "en-GB" }
            : phrasing;
    }

    // A brand with a character XML cannot carry (control characters) would make the whole script invalid.
    private static string XmlSafe(string text) => string.Concat(text.Where(XmlConvert.IsXmlChar));

    private sealed record Phrasing(string Language, string Intro, string Again);
}
