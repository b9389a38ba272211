using FluentValidation;

namespace Verify.Server.Delivery;

internal sealed class WebhookOptionsValidator : AbstractValidator<WebhookOptions>
{
    public WebhookOptionsValidator()
    {
        RuleFor(o => o.Url)
            .Must(url => url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            .WithMessage("must be an absolute http or https URL");
        RuleFor(o => o.SigningSecret)
            .Must(secret => secret is null || secret.Length >= 16)
            .WithMessage("must be at least 16 characters");
    }
}
