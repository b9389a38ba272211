using Verify.V1;

namespace Verify.Server.Validation;

internal sealed class GetVerificationRequestValidator() : VerificationIdRequestValidator<GetVerificationRequest>(r => r.VerificationId);
