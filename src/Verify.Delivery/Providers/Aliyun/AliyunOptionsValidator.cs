using FluentValidation;

namespace Verify.Delivery.Providers.Aliyun;

internal sealed class AliyunOptionsValidator : AbstractValidator<AliyunOptions>
{
    public AliyunOptionsValidator()
    {
        RuleFor(o => o.AccessKeyId).NotEmpty().WithMessage("required");
        RuleFor(o => o.AccessKeySecret).NotEmpty().WithMessage("required");
        RuleFor(o => o.SignName).NotEmpty().WithMessage("required");
        RuleFor(o => o.RegionId).NotEmpty().WithMessage("required");
        RuleFor(o => o.BaseUrl).HttpsOrLoopbackHttpRoot().WithMessage("must be an absolute https URL without a path (http only to a loopback address)");
        RuleFor(o => o.Templates).NotEmpty().WithMessage("map at least one template (\"login/en\" or \"login\") to its TemplateCode");
        RuleForEach(o => o.Templates)
            .OverrideIndexer(ByKey)
            .Must(e => !string.IsNullOrWhiteSpace(e.Value))
            .WithMessage("the TemplateCode is required");
        RuleForEach(o => o.TemplateParameters)
            .OverrideIndexer(ByKey)
            .Must(e => ProviderTemplates.KnownParameters.Contains(e.Key, StringComparer.OrdinalIgnoreCase))
            .WithMessage($"not a parameter of Verify's templates: map one of {string.Join(", ", ProviderTemplates.KnownParameters)}");
        RuleForEach(o => o.TemplateParameters)
            .OverrideIndexer(ByKey)
            .Must(e => !string.IsNullOrWhiteSpace(e.Value))
            .WithMessage("the template's variable name is required");
        RuleFor(o => o.ReceiptToken)
            .Must(t => t is null || ReceiptToken.IsWellFormed(t))
            .WithMessage("must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'");
    }

    /// <summary>Problems name the entry's own key ("Templates:login/en"), not its position.</summary>
    private static string ByKey(AliyunOptions options, IEnumerable<KeyValuePair<string, string>> entries, KeyValuePair<string, string> entry, int index) => ":" + entry.Key;
}
