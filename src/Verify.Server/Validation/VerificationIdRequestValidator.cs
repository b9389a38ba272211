using FluentValidation;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Validation;

/// <summary>Get and Cancel carry only an id; each has its own concrete validator so the DI scan can register it.</summary>
internal abstract class VerificationIdRequestValidator<TRequest> : AbstractValidator<TRequest>
{
    protected VerificationIdRequestValidator(Func<TRequest, string> id)
    {
        RuleFor(r => id(r)).Must(VerificationId.IsWellFormed).OverridePropertyName("verification_id")
            .WithMessage("must be \"VE\" followed by 32 lowercase hex digits");
    }
}
