using System.Text.RegularExpressions;
using FluentValidation;

namespace Verify.Delivery.Providers.Twilio;

internal sealed partial class TwilioOptionsValidator : AbstractValidator<TwilioOptions>
{
    public TwilioOptionsValidator()
    {
        RuleFor(o => o.BaseUrl)
            .HttpsOrLoopbackHttp()
            .WithMessage("must be an absolute https URL (http only for localhost)");
        RuleFor(o => o.AccountSid)
            .NotEmpty().WithMessage("required")
            .Matches(AccountSidPattern()).WithMessage("must be \"AC\" followed by 32 hex digits");
        RuleFor(o => o.AuthToken)
            .NotEmpty().When(o => o.ApiKeySid is null && o.ApiKeySecret is null)
            .WithMessage("required unless ApiKeySid and ApiKeySecret are set");
        RuleFor(o => o.ApiKeySid)
            .NotEmpty().When(o => o.ApiKeySecret is not null).WithMessage("required with ApiKeySecret")
            .Matches(ApiKeySidPattern()).When(o => !string.IsNullOrEmpty(o.ApiKeySid), ApplyConditionTo.CurrentValidator).WithMessage("must be \"SK\" followed by 32 hex digits");
        RuleFor(o => o.ApiKeySecret)
            .NotEmpty().When(o => o.ApiKeySid is not null).WithMessage("required with ApiKeySid");
        RuleFor(o => o.From)
            .Must((o, from) => string.IsNullOrEmpty(from) != string.IsNullOrEmpty(o.MessagingServiceSid))
            .WithMessage("set exactly one of From and MessagingServiceSid")
            .Must(IsSender).When(o => !string.IsNullOrEmpty(o.From), ApplyConditionTo.CurrentValidator)
            .WithMessage("must be an E.164 number (+ and 7 to 15 digits) or an alphanumeric sender ID of up to 11 characters");
        RuleFor(o => o.MessagingServiceSid)
            .Matches(ServiceSidPattern()).When(o => !string.IsNullOrEmpty(o.MessagingServiceSid), ApplyConditionTo.CurrentValidator)
            .WithMessage("must be \"MG\" followed by 32 hex digits");
        RuleFor(o => o.VoiceFrom)
            .Matches(E164()).When(o => o.VoiceFrom is not null)
            .WithMessage("must be an E.164 number (+ and 7 to 15 digits)");
    }

    private static bool IsSender(string? from) => from is not null && (E164().IsMatch(from) || AlphanumericSender().IsMatch(from));

    [GeneratedRegex("^AC[0-9a-fA-F]{32}\\z")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^SK[0-9a-fA-F]{32}\\z")]
    private static partial Regex ApiKeySidPattern();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}\\z")]
    private static partial Regex ServiceSidPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}\z")]
    private static partial Regex E164();

    // Twilio: up to 11 characters of letters, digits, space, + - _ and &, at least one a letter.
    [GeneratedRegex("^(?=.*[A-Za-z])[A-Za-z0-9 +_&-]{1,11}\\z")]
    private static partial Regex AlphanumericSender();
}
