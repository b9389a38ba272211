using FluentValidation;

namespace Verify.Delivery.Providers.Chuanglan;

internal sealed class ChuanglanOptionsValidator : AbstractValidator<ChuanglanOptions>
{
    public ChuanglanOptionsValidator()
    {
        RuleFor(o => o.BaseUrl)
            .HttpsWithoutQuery()
            .WithMessage("must be an absolute https URL");
        RuleFor(o => o.Account).NotEmpty().WithMessage("required");
        RuleFor(o => o.Password).NotEmpty().WithMessage("required");
        RuleFor(o => o.Signature)
            .Must(s => s is null || (s.Length is > 0 and <= 20 && !s.Contains('【') && !s.Contains('】')))
            .WithMessage("must be 1 to 20 characters, without 【】");
        RuleFor(o => o.ReceiptToken)
            .Must(token => token is null || ReceiptToken.IsWellFormed(token, maxLength: 128))
            .WithMessage("must be 16 to 128 characters of A-Z a-z 0-9 - _ . ~");
        RuleFor(o => o.ReceiptReceiver)
            .Must(r => r is null || r.Length > 0)
            .WithMessage("must not be empty (leave it unset)");
        RuleFor(o => o.ReceiptPassword)
            .Must(p => p is null || p.Length > 0)
            .WithMessage("must not be empty (leave it unset)");
    }
}
