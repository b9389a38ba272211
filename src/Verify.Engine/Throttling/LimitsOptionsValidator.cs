using FluentValidation;
using Verify.Engine.Configuration;

namespace Verify.Engine.Throttling;

/// <summary>Every limit across purposes: windows in range, country codes that are codes, a guard that can fire.</summary>
internal sealed class LimitsOptionsValidator : AbstractValidator<LimitsOptions>
{
    public LimitsOptionsValidator()
    {
        var window = new PolicyOptionsValidator.WindowLimitValidator();
        RuleForEach(o => o.Number).SetValidator(window);
        RuleForEach(o => o.Prefix).SetValidator(window);
        RuleForEach(o => o.Country).SetValidator(window);
        RuleForEach(o => o.Caller).SetValidator(window);
        RuleForEach(o => o.Global).SetValidator(window);
        RuleForEach(o => o.WrongCodesPerIp).SetValidator(window);
        RuleFor(o => o.Ipv6PrefixLength).InclusiveBetween(32, 128);
        RuleFor(o => o.Ipv4PrefixLength).InclusiveBetween(8, 32);
        RuleFor(o => o.CountriesPerIp.Window).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromDays(31)).OverridePropertyName("CountriesPerIp:Window");
        RuleFor(o => o.CountriesPerIp.Max).InclusiveBetween(0, 250).OverridePropertyName("CountriesPerIp:Max");

        RuleFor(o => o.PumpingGuard.Window).InclusiveBetween(TimeSpan.FromMinutes(1), TimeSpan.FromDays(1)).OverridePropertyName("PumpingGuard:Window");
        RuleFor(o => o.PumpingGuard.SettleTime).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromDays(1)).OverridePropertyName("PumpingGuard:SettleTime");
        RuleFor(o => o.PumpingGuard.SettleTime).LessThan(o => o.PumpingGuard.Window)
            .OverridePropertyName("PumpingGuard:SettleTime").WithMessage("must be shorter than PumpingGuard:Window");
        RuleFor(o => o.PumpingGuard.MinSends).InclusiveBetween(1, 1_000_000).OverridePropertyName("PumpingGuard:MinSends");
        RuleFor(o => o.PumpingGuard.CountryMinSends).InclusiveBetween(1, 10_000_000).OverridePropertyName("PumpingGuard:CountryMinSends");
        RuleFor(o => o.PumpingGuard.MinConversion).InclusiveBetween(0, 1).OverridePropertyName("PumpingGuard:MinConversion");
        RuleFor(o => o.PumpingGuard.BlockFor).InclusiveBetween(TimeSpan.FromMinutes(1), TimeSpan.FromDays(1)).OverridePropertyName("PumpingGuard:BlockFor");
    }
}
