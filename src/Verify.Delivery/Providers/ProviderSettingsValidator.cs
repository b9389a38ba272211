using FluentValidation;

namespace Verify.Delivery.Providers;

internal sealed class ProviderSettingsValidator : AbstractValidator<ProviderSettings>
{
    public static readonly ProviderSettingsValidator Instance = new();

    public ProviderSettingsValidator()
    {
        RuleFor(s => s.Timeout).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60)).WithMessage("must be between 00:00:00.1 and 00:01:00");
        RuleFor(s => s.MaxConcurrency).InclusiveBetween(1, 10_000).WithMessage("must be between 1 and 10000");
        RuleFor(s => s.Breaker.FailureRatio).InclusiveBetween(0.01, 1).OverridePropertyName("Breaker.FailureRatio").WithMessage("must be between 0.01 and 1");
        RuleFor(s => s.Breaker.MinimumThroughput).InclusiveBetween(2, 10_000).OverridePropertyName("Breaker.MinimumThroughput").WithMessage("must be between 2 and 10000");
        RuleFor(s => s.Breaker.SamplingDuration).InclusiveBetween(TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)).OverridePropertyName("Breaker.SamplingDuration").WithMessage("must be between 00:00:00.5 and 1.00:00:00");
        RuleFor(s => s.Breaker.BreakDuration).InclusiveBetween(TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)).OverridePropertyName("Breaker.BreakDuration").WithMessage("must be between 00:00:00.5 and 1.00:00:00");
    }
}
