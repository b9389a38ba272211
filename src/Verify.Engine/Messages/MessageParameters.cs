namespace Verify.Engine.Messages;

/// <summary>The values of one message. Amount, currency and payee are given for payments (PSD2 dynamic linking).</summary>
/// <param name="Code">The one-time code, in plain text: it exists only between generation and hand-off.</param>
/// <param name="Minutes">Minutes the code stays valid, rounded up.</param>
/// <param name="Amount">The amount as shown, e.g. "25.00".</param>
/// <param name="Currency">ISO 4217 code, e.g. "EUR".</param>
/// <param name="Payee">Who is paid, as shown to the user.</param>
internal sealed record MessageParameters(string Code, int Minutes, string? Amount = null, string? Currency = null, string? Payee = null);
