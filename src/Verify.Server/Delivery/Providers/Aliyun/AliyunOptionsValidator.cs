using FluentValidation;

namespace Verify.Server.Delivery.Providers.Aliyun;

internal sealed class AliyunOptionsValidator : AbstractValidator<AliyunOptions>
{
    /// <summary>The template parameters Verify renders; a mapping key outside them is a typo.</summary>
    internal static readonly string[] KnownParameters = ["code", "minutes", "amount", "currency", "payee"];

    public AliyunOptionsValidator()
    {
        RuleFor(o => o.AccessKeyId).NotEmpty().WithMessage("required");
        RuleFor(o => o.AccessKeySecret).NotEmpty().WithMessage("required");
        RuleFor(o => o.SignName).NotEmpty().WithMessage("required");
        RuleFor(o => o.RegionId).NotEmpty().WithMessage("required");
        RuleFor(o => o.BaseUrl).Must(BeAServiceRoot).WithMessage("must be an absolute https URL without a path (http only to a loopback address)");
        RuleFor(o => o.Templates).NotEmpty().WithMessage("map at least one template (\"login/en\" or \"login\") to its TemplateCode");
        RuleForEach(o => o.Templates)
            .OverrideIndexer(ByKey)
            .Must(e => !string.IsNullOrWhiteSpace(e.Value))
            .WithMessage("the TemplateCode is required");
        RuleForEach(o => o.TemplateParameters)
            .OverrideIndexer(ByKey)
            .Must(e => KnownParameters.Contains(e.Key, StringComparer.OrdinalIgnoreCase))
            .WithMessage($"not a parameter of Verify's templates: map one of {string.Join(", ", KnownParameters)}");
        RuleForEach(o => o.TemplateParameters)
            .OverrideIndexer(ByKey)
            .Must(e => !string.IsNullOrWhiteSpace(e.Value))
            .WithMessage("the template's variable name is required");
        RuleFor(o => o.ReceiptToken)
            .Must(t => t is null || IsToken(t))
            .WithMessage("must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'");
    }

    /// <summary>Problems name the entry's own key ("Templates:login/en"), not its position.</summary>
    private static string ByKey(AliyunOptions options, IEnumerable<KeyValuePair<string, string>> entries, KeyValuePair<string, string> entry, int index) => ":" + entry.Key;

    internal static bool BeAServiceRoot(Uri? url) =>
        url is { IsAbsoluteUri: true } && string.IsNullOrEmpty(url.Query) && url.AbsolutePath == "/" &&
        (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));

    internal static bool IsToken(string token) =>
        token.Length >= 16 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');
}
