namespace Verify.Server.Security;

/// <summary>What one call did, filled in as the call goes, written once at its end (<see cref="AuditLog"/>).</summary>
internal sealed class AuditEvent(string operation)
{
    public string Operation { get; } = operation;

    public string Caller { get; set; } = "-";

    public string Purpose { get; set; } = "-";

    /// <summary>Masked, never the full number.</summary>
    public string MaskedPhone { get; set; } = "-";

    /// <summary>The end user's IP address in its canonical form, as the call carried it (not its counting network).</summary>
    public string ClientIp { get; set; } = "-";

    public string VerificationId { get; set; } = "-";

    /// <summary>A stable word: sent, replayed, approved, wrong_code, locked, burned, canceled, or the gRPC status of a refusal.</summary>
    public string? Outcome { get; set; }
}
