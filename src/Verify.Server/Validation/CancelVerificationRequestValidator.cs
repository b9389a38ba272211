using Verify.V1;

namespace Verify.Server.Validation;

internal sealed class CancelVerificationRequestValidator() : VerificationIdRequestValidator<CancelVerificationRequest>(r => r.VerificationId);
