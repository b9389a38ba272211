using FluentValidation;
using Verify.Engine.Configuration;
using Verify.Delivery.Phones;
using Verify.Server.Verification;
using Verify.V1;
using Verify.Engine.Verification;

namespace Verify.Server.Validation;

internal sealed class CheckVerificationRequestValidator : AbstractValidator<CheckVerificationRequest>
{
    public CheckVerificationRequestValidator(PolicyCatalog policies)
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            var byId = request.VerificationId.Length > 0;
            var byPhone = request.PhoneNumber.Length > 0 || request.Purpose.Length > 0;
            if (byId && byPhone)
            {
                context.AddFailure("verification_id", "give either verification_id, or phone_number and purpose, not both");
                return;
            }

            if (!byId && !byPhone)
            {
                context.AddFailure("verification_id", "is required, unless phone_number and purpose are given");
                return;
            }

            if (byId)
            {
                if (!VerificationId.IsWellFormed(request.VerificationId))
                {
                    context.AddFailure("verification_id", "must be \"VE\" followed by 32 lowercase hex digits");
                }

                return;
            }

            if (PhoneNumberParser.TryParse(request.PhoneNumber, out var phone, out var error))
            {
                context.RootContextData[ValidationKeys.Phone] = phone!;
            }
            else
            {
                context.AddFailure("phone_number", error!);
            }

            if (!policies.TryGet(request.Purpose, out _))
            {
                context.AddFailure("purpose", $"must be one of: {string.Join(", ", policies.Purposes.Order())}");
            }
        });

        RuleFor(r => r.Code).Must(FieldRules.IsTypedCode).OverridePropertyName("code")
            .WithMessage("must be 4 to 10 ASCII letters or digits");
        RuleFor(r => r.ClientIp).Must(FieldRules.IsIpAddress).When(r => r.ClientIp.Length > 0).OverridePropertyName("client_ip")
            .WithMessage("must be an IPv4 or IPv6 address");
        RuleFor(r => r.Transaction).SetValidator(new TransactionValidator()!).When(r => r.Transaction is not null).OverridePropertyName("transaction");
    }
}
