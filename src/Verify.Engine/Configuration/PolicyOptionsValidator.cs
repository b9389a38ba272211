using FluentValidation;
using Verify.Delivery.Configuration;
using Verify.Delivery.Phones;

namespace Verify.Engine.Configuration;

internal sealed class PolicyOptionsValidator : AbstractValidator<PolicyOptions>
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromMinutes(10);

    public PolicyOptionsValidator()
    {
        RuleFor(p => p.CodeLength).InclusiveBetween(4, 10);
        RuleFor(p => p.Alphabet).IsInEnum();
        RuleFor(p => p.Ttl).InclusiveBetween(TimeSpan.FromSeconds(1), MaxTtl)
            .WithMessage("must be between 00:00:01 and 00:10:00 (ASVS 6.5.5, NIST SP 800-63B-4 3.1.3.2)");
        RuleFor(p => p.MaxAttempts).InclusiveBetween(1, 10);
        RuleFor(p => p.ResendCooldown).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromHours(1));
        RuleForEach(p => p.PhoneLimits).SetValidator(new WindowLimitValidator());
        RuleForEach(p => p.IpLimits).SetValidator(new WindowLimitValidator());
        RuleFor(p => p.Lockout.MaxFailures).InclusiveBetween(1, 100)
            .OverridePropertyName("Lockout:MaxFailures").WithMessage("must be between 1 and 100 (NIST SP 800-63B-4 3.2.2)");
        RuleFor(p => p.Lockout.Duration).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            .OverridePropertyName("Lockout:Duration");
        RuleForEach(p => p.Countries.Allow).Must(IsCountryCode).OverridePropertyName("Countries:Allow").WithMessage(CountryCodeMessage);
        RuleForEach(p => p.Countries.Deny).Must(IsCountryCode).OverridePropertyName("Countries:Deny").WithMessage(CountryCodeMessage);
        RuleForEach(p => p.LineTypes.Sms).Must(IsLineType).OverridePropertyName("LineTypes:Sms").WithMessage(LineTypeMessage);
        RuleForEach(p => p.LineTypes.Voice).Must(IsLineType).OverridePropertyName("LineTypes:Voice").WithMessage(LineTypeMessage);
        RuleFor(p => p.LineTypes.Sms).Must(IsLineTypeList).OverridePropertyName("LineTypes:Sms").WithMessage(LineTypeListMessage);
        RuleFor(p => p.LineTypes.Voice).Must(IsLineTypeList).OverridePropertyName("LineTypes:Voice").WithMessage(LineTypeListMessage);
    }

    public const string CountryCodeMessage = CountryCodes.Message;

    public static readonly string LineTypeMessage = $"must be one of {string.Join(", ", Enum.GetNames<PhoneLineType>())}";

    public const string LineTypeListMessage = "must name at least one line type, each once";

    public static bool IsCountryCode(string code) => CountryCodes.IsValid(code);

    public static bool IsLineType(string name) => LineTypePermissions.TryParse(name, out _);

    /// <summary>At least one type and none twice (a repeat is a copy-paste slip that often hides a missing type).</summary>
    public static bool IsLineTypeList(List<string> names) =>
        names.Count > 0 && names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Count;

    /// <summary>A sliding window: 1 second to 31 days, at most 1 to 1,000,000 sends in it.</summary>
    internal sealed class WindowLimitValidator : AbstractValidator<WindowLimit>
    {
        public WindowLimitValidator()
        {
            RuleFor(w => w.Window).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(31));
            RuleFor(w => w.Max).InclusiveBetween(1, 1_000_000);
        }
    }
}
