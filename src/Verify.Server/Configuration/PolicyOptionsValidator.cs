using FluentValidation;

namespace Verify.Server.Configuration;

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
    }

    private sealed class WindowLimitValidator : AbstractValidator<WindowLimit>
    {
        public WindowLimitValidator()
        {
            RuleFor(w => w.Window).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(31));
            RuleFor(w => w.Max).InclusiveBetween(1, 1_000_000);
        }
    }
}
