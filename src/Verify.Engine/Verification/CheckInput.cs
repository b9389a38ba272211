using Verify.Engine.Codes;
using Verify.Delivery.Phones;

namespace Verify.Engine.Verification;

/// <summary>A validated check request: by id, or by phone number and purpose.</summary>
internal sealed record CheckInput(
    string? VerificationId,
    PhoneNumber? Phone,
    string? Purpose,
    string Code,
    TransactionDetails? Transaction,
    string? ClientIp)
{
    /// <summary>The caller's owner tag; "" when authentication is off.</summary>
    public string Owner { get; init; } = string.Empty;
}
