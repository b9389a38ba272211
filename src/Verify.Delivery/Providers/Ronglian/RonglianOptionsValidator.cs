using FluentValidation;

namespace Verify.Delivery.Providers.Ronglian;

internal sealed class RonglianOptionsValidator : AbstractValidator<RonglianOptions>
{
    public RonglianOptionsValidator()
    {
        RuleFor(o => o.BaseUrl)
            .HttpsWithoutQuery()
            .WithMessage("must be an absolute https URL");
        RuleFor(o => o.AccountSid)
            .Must(sid => !string.IsNullOrEmpty(sid) && sid.All(char.IsAsciiLetterOrDigit))
            .WithMessage("required: letters and digits (the ACCOUNT SID)");
        RuleFor(o => o.AuthToken).NotEmpty().WithMessage("required");
        RuleFor(o => o.AppId).NotEmpty().WithMessage("required");
        RuleFor(o => o.Templates)
            .Must(t => t.Count > 0)
            .WithMessage("required: map \"{purpose}/{locale}\" or \"{purpose}\" to a Ronglian template id");
        RuleForEach(o => o.Templates)
            .Must(t => !string.IsNullOrWhiteSpace(t.Value))
            .WithMessage((_, t) => $"the template id for {t.Key} is empty");
        RuleFor(o => o.TemplateParameters)
            .Must(p => p is null || p.All(name => ProviderTemplates.KnownParameters.Contains(name, StringComparer.Ordinal)))
            .WithMessage($"each must be one of {string.Join(", ", ProviderTemplates.KnownParameters)}");
    }
}
