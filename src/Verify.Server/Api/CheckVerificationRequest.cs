using Verify.Server.Security;

namespace Verify.V1;

public sealed partial class CheckVerificationRequest : IAuthorizedRequest
{
    // By id the purpose is known only from the record; a caller reaches only its own records, so there the operation is what is checked.
    string? IAuthorizedRequest.PurposeToAuthorize => VerificationId.Length > 0 ? null : Purpose;

    string? IAuthorizedRequest.VerificationIdToAudit => VerificationId.Length > 0 ? VerificationId : null;

    string? IAuthorizedRequest.ClientIpToAudit => ClientIp.Length > 0 ? ClientIp : null;
}
