using Verify.Server.Security;

namespace Verify.V1;

public sealed partial class StartVerificationRequest : IAuthorizedRequest
{
    string? IAuthorizedRequest.PurposeToAuthorize => Purpose;

    string? IAuthorizedRequest.VerificationIdToAudit => null;

    string? IAuthorizedRequest.ClientIpToAudit => ClientIp.Length > 0 ? ClientIp : null;
}
