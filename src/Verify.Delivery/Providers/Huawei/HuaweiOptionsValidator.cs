using FluentValidation;

namespace Verify.Delivery.Providers.Huawei;

internal sealed class HuaweiOptionsValidator : AbstractValidator<HuaweiOptions>
{
    public HuaweiOptionsValidator()
    {
        RuleFor(o => o.BaseUrl)
            .HttpsWithoutQuery()
            .WithMessage("must be an absolute https URL (the application's access address from the console)");
        RuleFor(o => o.AppKey).NotEmpty().WithMessage("required");
        RuleFor(o => o.AppSecret).NotEmpty().WithMessage("required");
        RuleFor(o => o.Sender).NotEmpty().WithMessage("required (the channel number)");
        RuleFor(o => o.Templates)
            .Must(t => t.Count > 0)
            .WithMessage("required: map \"{purpose}/{locale}\" or \"{purpose}\" to a Huawei template id");
        RuleForEach(o => o.Templates)
            .Must(t => !string.IsNullOrWhiteSpace(t.Value))
            .WithMessage((_, t) => $"the template id for {t.Key} is empty");
        RuleFor(o => o.TemplateParameters)
            .Must(p => p is null || p.All(name => ProviderTemplates.KnownParameters.Contains(name, StringComparer.Ordinal)))
            .WithMessage($"each must be one of {string.Join(", ", ProviderTemplates.KnownParameters)}");
        RuleFor(o => o.ReceiptToken)
            .Must(token => token is null || ReceiptToken.IsWellFormed(token, maxLength: 128))
            .WithMessage("must be 16 to 128 characters of A-Z a-z 0-9 - _ . ~");
    }
}
