using System.Collections.Frozen;
using Verify.Delivery.Configuration;
using Verify.Engine.Configuration;
using Verify.Delivery.Phones;

namespace Verify.Engine.Throttling;

/// <summary>
/// <c>Verify:Limits</c> and <c>Verify:SafeList</c>, validated and reloaded like the policies: an
/// invalid change is refused with a log line naming the key, and the last good limits stay.
/// </summary>
internal sealed class LimitCatalog : IDisposable
{
    private static readonly LimitsOptionsValidator Validator = new();

    private readonly ReloadingSnapshot<LimitSettings> _settings;

    public LimitCatalog(IConfiguration configuration, ILogger<LimitCatalog> logger) =>
        _settings = new("limits", configuration, Build, s => $"{s.SafeNumbers.Count} safe numbers, prefix {Describe(s.Options.Prefix)}, number {Describe(s.Options.Number)}", logger);

    public event Action<string, bool>? Reloaded
    {
        add => _settings.Reloaded += value;
        remove => _settings.Reloaded -= value;
    }

    public LimitSettings Current => _settings.Current;

    public void Dispose() => _settings.Dispose();

    public static (LimitSettings? Settings, List<string> Errors) Build(IConfiguration configuration)
    {
        var errors = new List<string>();
        var section = configuration.GetSection(LimitsOptions.SectionName);
        var options = new LimitsOptions();

        // The binder appends configured list items to the defaults; a configured list replaces them instead.
        options.Number = IsSet(section, nameof(LimitsOptions.Number)) ? [] : options.Number;
        options.Prefix = IsSet(section, nameof(LimitsOptions.Prefix)) ? [] : options.Prefix;
        options.WrongCodesPerIp = IsSet(section, nameof(LimitsOptions.WrongCodesPerIp)) ? [] : options.WrongCodesPerIp;

        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            errors.Add($"{LimitsOptions.SectionName}: {exception.Message}");
            return (null, errors);
        }

        errors.AddRange(Validator.Validate(options).Errors.Select(f => $"{LimitsOptions.SectionName}:{ConfigurationKey.FromPropertyPath(f.PropertyName)}: {f.ErrorMessage}"));
        ValidatePerKey(options.Countries, "Countries", isValidKey: PolicyOptionsValidator.IsCountryCode, errors);
        ValidatePerKey(options.Callers, "Callers", isValidKey: _ => true, errors);
        var safe = SafeList.Bind(configuration, errors);
        return errors.Count > 0 ? (null, errors) : (new LimitSettings(options, safe), errors);
    }

    // Windows keyed by country or caller: each error names the configured key ("Countries:NG:0:Max").
    private static void ValidatePerKey(Dictionary<string, List<WindowLimit>> perKey, string name, Func<string, bool> isValidKey, List<string> errors)
    {
        var window = new PolicyOptionsValidator.WindowLimitValidator();
        foreach (var (key, windows) in perKey)
        {
            var prefix = $"{LimitsOptions.SectionName}:{name}:{key}";
            if (!isValidKey(key))
            {
                errors.Add($"{prefix}: {PolicyOptionsValidator.CountryCodeMessage}");
            }

            for (var i = 0; i < windows.Count; i++)
            {
                errors.AddRange(window.Validate(windows[i]).Errors.Select(f => $"{prefix}:{i}:{f.PropertyName}: {f.ErrorMessage}"));
            }
        }
    }

    private static bool IsSet(IConfigurationSection section, string key) => section.GetSection(key).Exists();

    private static string Describe(List<WindowLimit> windows) =>
        windows.Count == 0 ? "none" : string.Join(" ", windows.Select(w => $"{w.Max}/{w.Name}"));
}
