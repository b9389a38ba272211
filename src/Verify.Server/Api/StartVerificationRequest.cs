using Verify.Server.Security;

namespace Verify.V1;

public sealed partial class StartVerificationRequest : IAuthorizedRequest
{
    string? IAuthorizedRequest.PurposeToAuthorize => Purpose;

    string? IAuthorizedRequest.VerificationIdToAudit => null;
}
