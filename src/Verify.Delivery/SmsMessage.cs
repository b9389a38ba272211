using Verify.Delivery.Phones;

namespace Verify.Delivery;

/// <summary>One message to hand to a channel (an SMS, or a call that speaks the code).</summary>
internal sealed record SmsMessage
{
    /// <summary>The destination, parsed: E.164, country calling code, national number, region. Never log it: log <see cref="MaskedTo"/>.</summary>
    public required PhoneNumber Phone { get; init; }

    /// <summary>E.164 destination, e.g. "+8613812345678". Never log it.</summary>
    public string To => Phone.E164;

    /// <summary>The destination as logs may show it, e.g. "+86 138****5678".</summary>
    public string MaskedTo => Phone.Masked;

    public DeliveryChannel Channel { get; init; } = DeliveryChannel.Sms;

    /// <summary>The rendered text, code included: it exists only between rendering and hand-off.</summary>
    public required string Text { get; init; }

    /// <summary>"{purpose}/{locale}", for providers that only send registered templates (each maps it to its own template id).</summary>
    public required string TemplateId { get; init; }

    /// <summary>The template's placeholder values (code included), for template-only providers: "code", "minutes", and for payments "amount", "currency", "payee".</summary>
    public required IReadOnlyDictionary<string, string> TemplateParameters { get; init; }

    /// <summary>The brand shown as the signature; providers with registered signatures use their own setting.</summary>
    public required string Signature { get; init; }

    public required string VerificationId { get; init; }

    public required string Purpose { get; init; }

    public required string Locale { get; init; }

    /// <summary>Unique per send: providers that take an idempotency key or a reference get this, so a retry never texts twice.</summary>
    public required string SendId { get; init; }
}
