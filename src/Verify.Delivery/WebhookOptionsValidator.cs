using FluentValidation;

namespace Verify.Delivery;

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
        RuleFor(o => o.Retries)
            .InclusiveBetween(0, 5)
            .WithMessage("must be between 0 and 5");
        RuleFor(o => o.RetryBackoff)
            .InclusiveBetween(TimeSpan.FromMilliseconds(1), WebhookSmsSender.MaxRetryDelay)
            .WithMessage("must be between 00:00:00.001 and 00:00:02");
    }
}
