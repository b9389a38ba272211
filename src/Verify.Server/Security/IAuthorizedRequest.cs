namespace Verify.Server.Security;

/// <summary>
/// What <see cref="CallerInterceptor"/> needs of a request to authorize and audit it before the handler
/// runs: the purpose it acts for, when it names one, and the verification it names.
/// </summary>
internal interface IAuthorizedRequest
{
    /// <summary>The purpose the call acts for (a start; a check by number); null when only the stored record knows it.</summary>
    string? PurposeToAuthorize { get; }

    /// <summary>The verification the call names, for the audit line; null when it names none.</summary>
    string? VerificationIdToAudit { get; }

    /// <summary>The end user's IP address the call carries, for the audit line; null when it has none.</summary>
    string? ClientIpToAudit => null;
}
