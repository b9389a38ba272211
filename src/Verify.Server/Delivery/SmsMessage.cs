namespace Verify.Server.Delivery;

/// <summary>One message to hand to an SMS channel.</summary>
internal sealed record SmsMessage
{
    /// <summary>E.164 destination. Never log it: log <see cref="MaskedTo"/>.</summary>
    public required string To { get; init; }

    public required string MaskedTo { get; init; }

    /// <summary>The rendered text, code included: it exists only between rendering and hand-off.</summary>
    public required string Text { get; init; }

    /// <summary>"{purpose}/{locale}", for providers that only send registered templates.</summary>
    public required string TemplateId { get; init; }

    /// <summary>The template's placeholder values (code included), for template-only providers.</summary>
    public required IReadOnlyDictionary<string, string> TemplateParameters { get; init; }

    /// <summary>The brand shown as the signature.</summary>
    public required string Signature { get; init; }

    public required string VerificationId { get; init; }

    public required string Purpose { get; init; }

    public required string Locale { get; init; }

    /// <summary>Unique per send: providers that take an idempotency key get this, so a retry never texts twice.</summary>
    public required string SendId { get; init; }
}
