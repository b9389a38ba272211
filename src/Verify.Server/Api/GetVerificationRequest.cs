using Verify.Server.Security;

namespace Verify.V1;

public sealed partial class GetVerificationRequest : IAuthorizedRequest
{
    string? IAuthorizedRequest.PurposeToAuthorize => null;

    string? IAuthorizedRequest.VerificationIdToAudit => VerificationId;
}
