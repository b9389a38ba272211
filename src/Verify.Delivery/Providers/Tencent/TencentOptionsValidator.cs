using FluentValidation;

namespace Verify.Delivery.Providers.Tencent;

internal sealed class TencentOptionsValidator : AbstractValidator<TencentOptions>
{
    public TencentOptionsValidator()
    {
        RuleFor(o => o.SecretId).NotEmpty().WithMessage("required");
        RuleFor(o => o.SecretKey).NotEmpty().WithMessage("required");
        RuleFor(o => o.SmsSdkAppId)
            .Must(id => !string.IsNullOrEmpty(id) && id.All(char.IsAsciiDigit))
            .WithMessage("required: the SMS application's SdkAppId, digits (e.g. 1400006666)");
        RuleFor(o => o.Region).NotEmpty().WithMessage("required");
        RuleFor(o => o.BaseUrl).HttpsOrLoopbackHttpRoot().WithMessage("must be an absolute https URL without a path (http only to a loopback address)");
        RuleFor(o => o.Templates).NotEmpty().WithMessage("map at least one template (\"login/en\" or \"login\") to its TemplateId");
        RuleForEach(o => o.Templates)
            .OverrideIndexer((_, _, entry, _) => ":" + entry.Key)
            .Must(e => !string.IsNullOrWhiteSpace(e.Value))
            .WithMessage("the TemplateId is required");
        RuleForEach(o => o.TemplateParameters)
            .Must(name => ProviderTemplates.KnownParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            .WithMessage($"must be one of {string.Join(", ", ProviderTemplates.KnownParameters)}");
        RuleFor(o => o.ReceiptToken)
            .Must(t => t is null || ReceiptToken.IsWellFormed(t))
            .WithMessage("must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'");
    }
}
