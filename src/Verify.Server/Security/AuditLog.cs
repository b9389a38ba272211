namespace Verify.Server.Security;

/// <summary>
/// One structured line per start, check, get, cancel (and admin action) under the log category
/// <c>Verify.Audit</c>, so it can be routed to its own sink: who called, for which purpose and
/// number (masked), from which end-user IP, which verification, and the outcome. Never a code, a full number or a request body.
/// </summary>
internal sealed partial class AuditLog(ILoggerFactory loggers)
{
    public const string Category = "Verify.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Write(AuditEvent entry) =>
        Log.Call(_logger, entry.Operation, entry.Caller, entry.Purpose, entry.MaskedPhone, entry.ClientIp, entry.VerificationId, entry.Outcome ?? "error");

    private static partial class Log
    {
        [LoggerMessage(800, LogLevel.Information, "audit {Operation} caller={Caller} purpose={Purpose} phone={MaskedPhone} ip={ClientIp} verification={VerificationId} outcome={Outcome}")]
        public static partial void Call(ILogger logger, string operation, string caller, string purpose, string maskedPhone, string clientIp, string verificationId, string outcome);
    }
}
