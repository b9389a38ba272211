using System.Text.RegularExpressions;
using FluentValidation;

namespace Verify.Delivery.Providers.Vonage;

internal sealed partial class VonageOptionsValidator : AbstractValidator<VonageOptions>
{
    public VonageOptionsValidator()
    {
        RuleFor(o => o.BaseUrl)
            .HttpsOrLoopbackHttp()
            .WithMessage("must be an absolute https URL (http only for localhost)");
        RuleFor(o => o.ApiKey).NotEmpty().WithMessage("required");
        RuleFor(o => o.ApiSecret)
            .NotEmpty().When(o => string.IsNullOrEmpty(o.SignatureSecret), ApplyConditionTo.CurrentValidator)
            .WithMessage("required unless SignatureSecret is set");
        RuleFor(o => o.SignatureMethod)
            .Must(m => VonageSignature.TryParseMethod(m, out _))
            .WithMessage("must be md5hash, md5, sha1, sha256 or sha512");
        RuleFor(o => o.From)
            .NotEmpty().WithMessage("required")
            .Matches(Sender()).When(o => !string.IsNullOrEmpty(o.From), ApplyConditionTo.CurrentValidator)
            .WithMessage("must be a number of up to 15 digits or an alphanumeric sender ID of up to 11 characters");
        RuleFor(o => o.ReceiptToken)
            .Must(t => t is null || t.Length >= 32)
            .WithMessage("must be at least 32 characters");
    }

    [GeneratedRegex("^([0-9]{1,15}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})\\z")]
    private static partial Regex Sender();
}
