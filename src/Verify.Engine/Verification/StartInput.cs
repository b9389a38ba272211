using Verify.Engine.Codes;
using Verify.Engine.Configuration;
using Verify.Delivery.Phones;

namespace Verify.Engine.Verification;

/// <summary>A validated start request.</summary>
internal sealed record StartInput(
    PhoneNumber Phone,
    VerificationPolicy Policy,
    string? Locale,
    string? ClientIp,
    TransactionDetails? Transaction,
    string? IdempotencyKey)
{
    /// <summary>The caller's owner tag (with authentication off, the anonymous caller's); "" only for engine tests and callers of no owner.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>A text (the default) or a call that speaks the code.</summary>
    public Delivery.DeliveryChannel Channel { get; init; } = Delivery.DeliveryChannel.Sms;

    /// <summary>The caller's name, for the per-caller limits; by default the name every call has with authentication off.</summary>
    public string CallerName { get; init; } = "anonymous";
}
