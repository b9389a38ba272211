using FluentValidation;
using Verify.Engine.Configuration;
using Verify.Delivery.Phones;
using Verify.V1;

namespace Verify.Server.Validation;

internal sealed class StartVerificationRequestValidator : AbstractValidator<StartVerificationRequest>
{
    public StartVerificationRequestValidator(PolicyCatalog policies)
    {
        RuleFor(r => r.PhoneNumber).Custom((value, context) =>
        {
            if (PhoneNumberParser.TryParse(value, out var phone, out var error))
            {
                context.RootContextData[ValidationKeys.Phone] = phone!;
            }
            else
            {
                context.AddFailure("phone_number", error!);
            }
        });

        RuleFor(r => r.Purpose).Custom((value, context) =>
        {
            if (policies.TryGet(value, out var policy))
            {
                context.RootContextData[ValidationKeys.Policy] = policy;
            }
            else
            {
                context.AddFailure("purpose", $"must be one of: {string.Join(", ", policies.Purposes.Order())}");
            }
        });

        RuleFor(r => r.Channel).Must(c => c is Channel.Unspecified or Channel.Sms or Channel.Voice).OverridePropertyName("channel")
            .WithMessage("must be CHANNEL_SMS or CHANNEL_VOICE");
        RuleFor(r => r.Locale).Must(FieldRules.IsLocale).When(r => r.Locale.Length > 0).OverridePropertyName("locale")
            .WithMessage("must be a BCP 47 language tag such as \"en\" or \"zh-CN\"");
        RuleFor(r => r.ClientIp).Must(FieldRules.IsIpAddress).When(r => r.ClientIp.Length > 0).OverridePropertyName("client_ip")
            .WithMessage("must be an IPv4 or IPv6 address");
        RuleFor(r => r.ClientIp).Custom((ip, context) =>
        {
            if (ip.Length == 0 && context.RootContextData.TryGetValue(ValidationKeys.Policy, out var found) && found is VerificationPolicy { RequiresClientIp: true } policy)
            {
                context.AddFailure("client_ip", $"is required by the '{policy.Name}' policy: the end user's IP address");
            }
        });
        RuleFor(r => r.IdempotencyKey).Must(FieldRules.IsIdempotencyKey).When(r => r.IdempotencyKey.Length > 0).OverridePropertyName("idempotency_key")
            .WithMessage($"must be at most {FieldRules.MaxIdempotencyKeyLength} printable ASCII characters without spaces");
        RuleFor(r => r.Transaction).SetValidator(new TransactionValidator()!).When(r => r.Transaction is not null).OverridePropertyName("transaction");
        RuleFor(r => r.Transaction).Custom((transaction, context) =>
        {
            if (!context.RootContextData.TryGetValue(ValidationKeys.Policy, out var found))
            {
                return;
            }

            var policy = (VerificationPolicy)found;
            if (transaction is null && policy.RequiresTransaction)
            {
                context.AddFailure("transaction", $"is required by the '{policy.Name}' policy: amount, currency and payee");
            }

            // Bound silently, it would burn the code when the caller checks without it (issue 12, point 10).
            if (transaction is not null && !policy.RequiresTransaction)
            {
                context.AddFailure("transaction", $"is not taken by the '{policy.Name}' policy, which binds no transaction");
            }
        });
    }
}
