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
    /// <summary>The caller's owner tag (with authentication off, the anonymous caller's); "" only for engine tests and callers of no owner.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>The caller's name: its checks without a client IP count their wrong codes together.</summary>
    public string CallerName { get; init; } = "anonymous";
}
