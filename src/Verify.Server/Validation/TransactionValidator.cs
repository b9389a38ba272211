using FluentValidation;
using Verify.V1;

namespace Verify.Server.Validation;

internal sealed class TransactionValidator : AbstractValidator<Transaction>
{
    public TransactionValidator()
    {
        RuleFor(t => t.Amount).Must(FieldRules.IsAmount).OverridePropertyName("amount")
            .WithMessage("must be a positive decimal with a dot, e.g. \"25.00\" (at most 18 digits before the dot and 4 after)");
        RuleFor(t => t.Currency).Must(CurrencyCodes.IsKnown).OverridePropertyName("currency")
            .WithMessage("must be an ISO 4217 currency code in capitals, e.g. \"EUR\"");
        RuleFor(t => t.Payee).Must(FieldRules.IsPayee).OverridePropertyName("payee")
            .WithMessage($"must be 1 to {FieldRules.MaxPayeeLength} printable characters without line breaks or surrounding spaces");
    }
}
