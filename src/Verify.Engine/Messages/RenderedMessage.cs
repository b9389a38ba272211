using Verify.Delivery.Sms;

namespace Verify.Engine.Messages;

/// <summary>A message ready to send.</summary>
/// <param name="Text">The full text, code included.</param>
/// <param name="Locale">The locale of the template actually used (canonical case, e.g. "zh-CN"), not the one asked for.</param>
/// <param name="TemplateId">"{purpose}/{locale}" of the template used ("*/en" for the fallback), for providers that only send registered templates.</param>
/// <param name="Parameters">The values of the placeholders the template uses, by name ("code", "payee", …), as inserted in <paramref name="Text"/>.</param>
/// <param name="Segments">What <paramref name="Text"/> costs as SMS.</param>
internal sealed record RenderedMessage(
    string Text,
    string Locale,
    string TemplateId,
    IReadOnlyDictionary<string, string> Parameters,
    SmsSegmentInfo Segments);
