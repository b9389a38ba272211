using System.Collections.Frozen;
using Verify.Delivery.Configuration;
using Verify.Server.Security;

namespace Verify.Server.RequestLimits;

/// <summary>
/// <c>Verify:RequestLimits</c> resolved: whether limits apply, and the limits of each caller named under
/// <c>Callers</c> (its overrides bound over the defaults) or of any other caller (the defaults).
/// </summary>
internal sealed class RequestLimitSettings
{
    private static readonly RequestBucketOptionsValidator BucketValidator = new();

    private readonly FrozenDictionary<string, CallerRequestLimits> _callers;

    private RequestLimitSettings(bool enabled, CallerRequestLimits defaults, FrozenDictionary<string, CallerRequestLimits> callers)
    {
        Enabled = enabled;
        Defaults = defaults;
        _callers = callers;
    }

    public bool Enabled { get; }

    public CallerRequestLimits Defaults { get; }

    public int CallerOverrides => _callers.Count;

    public CallerRequestLimits For(string caller) => _callers.GetValueOrDefault(caller, Defaults);

    /// <summary>The settings a configuration describes, or the errors that make it unusable, each naming its key.</summary>
    public static (RequestLimitSettings? Settings, List<string> Errors) Build(IConfiguration configuration)
    {
        const string prefix = RequestLimitsOptions.SectionName;
        var errors = new List<string>();
        var section = configuration.GetSection(prefix);
        var options = new RequestLimitsOptions();
        try
        {
            // Unknown keys are errors: a misspelt key would otherwise leave a limit at its default unnoticed.
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            errors.Add($"{prefix}: {exception.Message}");
            return (null, errors);
        }

        var defaults = options.Defaults();
        Validate(defaults, prefix, errors);
        if (errors.Count > 0)
        {
            // Every caller inherits the defaults: their errors would only repeat these.
            return (null, errors);
        }

        var callers = new Dictionary<string, CallerRequestLimits>(StringComparer.Ordinal);
        foreach (var name in options.Callers.Keys)
        {
            var key = $"{prefix}:Callers:{name}";
            if (!CallerDirectory.IsValidName(name))
            {
                errors.Add($"{key}: {CallerDirectory.NameRule}");
                continue;
            }

            // Bound again over a copy of the defaults, so a caller that sets one key keeps every other default.
            var limits = options.Defaults();
            section.GetSection($"Callers:{name}").Bind(limits);
            if (Validate(limits, key, errors))
            {
                callers[name] = CallerRequestLimits.From(limits);
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new RequestLimitSettings(options.Enabled, CallerRequestLimits.From(defaults), callers.ToFrozenDictionary(StringComparer.Ordinal)), errors);
    }

    /// <summary>One line for the log at each accepted reload.</summary>
    public string Describe() =>
        !Enabled
            ? "off"
            : $"per caller {Defaults.Summary}; {CallerOverrides} caller override(s)";

    /// <summary>Every value, exactly: equal for two settings that limit alike.</summary>
    public string Fingerprint() =>
        $"{Enabled}|{Defaults.Summary}|" + string.Join("|", _callers.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value.Summary}"));

    private static bool Validate(CallerRequestLimitsOptions limits, string key, List<string> errors)
    {
        var before = errors.Count;
        AddBucketErrors(limits.PerCaller, $"{key}:PerCaller", errors);
        foreach (var (method, bucket) in limits.PerMethod)
        {
            var methodKey = $"{key}:PerMethod:{method}";
            if (!AuditedMethod.Names.Contains(method))
            {
                errors.Add($"{methodKey}: not a method; one of {string.Join(", ", AuditedMethod.Names.Order(StringComparer.Ordinal))}");
                continue;
            }

            AddBucketErrors(bucket, methodKey, errors);
        }

        if (limits.ConcurrencyLimit is < 1 or > RequestBucketOptionsValidator.MaxTokens)
        {
            errors.Add($"{key}:ConcurrencyLimit: must be 1 to {RequestBucketOptionsValidator.MaxTokens} calls in flight");
        }

        return errors.Count == before;
    }

    private static void AddBucketErrors(RequestBucketOptions bucket, string key, List<string> errors) =>
        errors.AddRange(BucketValidator.Validate(bucket).Errors.Select(f => $"{key}:{ConfigurationKey.FromPropertyPath(f.PropertyName)}: {f.ErrorMessage}"));
}
