using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Verify.Delivery.Configuration;
using Verify.Engine.Codes;
using Verify.Engine.Storage;

namespace Verify.Engine.Configuration;

/// <summary>
/// The policies in force, from <c>Verify:Policies</c> over the built-in login, signup and payment.
/// A reload that fails validation is refused with one log line per error and the last good set stays;
/// an invalid set at start stops the service.
/// </summary>
internal sealed partial class PolicyCatalog : IDisposable
{
    public const string SectionName = "Verify:Policies";

    /// <summary>PSD2 RTS art. 4(3)(b): at most 5 failed authentication attempts in a row.</summary>
    private const int PaymentMaxFailures = 5;

    private static readonly string[] BuiltInPurposes = ["login", "signup", "payment"];
    private static readonly PolicyOptionsValidator Validator = new();

    private readonly ReloadingSnapshot<FrozenDictionary<string, VerificationPolicy>> _policies;
    private volatile LockoutCache? _lockouts;

    /// <param name="environment">Outside Development, weak codes and a transaction policy's loose limits are refused
    /// (<see cref="StrengthErrors"/>), at start and on every reload.</param>
    public PolicyCatalog(IConfiguration configuration, ILogger<PolicyCatalog> logger, IHostEnvironment environment)
    {
        var outsideDevelopment = !environment.IsDevelopment();
        _policies = new("policies", configuration, c => Build(c, outsideDevelopment), policies => string.Join(", ", policies.Keys.Order()), logger);
        _policies.Reloaded += (_, accepted) => Reloaded?.Invoke(accepted);
    }

    /// <summary>Raised after a reload was accepted (true) or refused (false).</summary>
    public event Action<bool>? Reloaded;

    public IReadOnlyCollection<string> Purposes => _policies.Current.Keys;

    public bool TryGet(string purpose, [NotNullWhen(true)] out VerificationPolicy? policy) =>
        _policies.Current.TryGetValue(purpose, out policy);

    /// <summary>Each purpose's lockout, for checks by id (whose purpose the store learns from the record).</summary>
    public IReadOnlyDictionary<string, LockoutRule> Lockouts
    {
        get
        {
            var current = _policies.Current;
            if (_lockouts is { } cached && ReferenceEquals(cached.Source, current))
            {
                return cached.Lockouts;
            }

            var built = new LockoutCache(current, current.ToFrozenDictionary(p => p.Key, p => new LockoutRule(p.Value.LockoutFailures, p.Value.LockoutDuration)));
            _lockouts = built;
            return built.Lockouts;
        }
    }

    public void Dispose() => _policies.Dispose();

    private const string ReservedPurposeName = "cc";

    /// <summary>The policies a configuration describes, or the errors that make it unusable, each naming its key.</summary>
    public static (FrozenDictionary<string, VerificationPolicy>? Policies, List<string> Errors) Build(IConfiguration configuration, bool outsideDevelopment = false)
    {
        var section = configuration.GetSection(SectionName);
        var names = BuiltInPurposes.Concat(section.GetChildren().Select(c => c.Key)).Distinct(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var policies = new Dictionary<string, VerificationPolicy>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var key = $"{SectionName}:{name}";
            if (!PurposeName().IsMatch(name))
            {
                errors.Add($"{key}: a purpose name is 1 to 32 of a-z 0-9 _ - and starts with a letter");
                continue;
            }

            // A client IP's sends for a purpose are kept under "{ip:…}:<purpose>", beside its countries under "{ip:…}:cc".
            if (name == ReservedPurposeName)
            {
                errors.Add($"{key}: \"{ReservedPurposeName}\" is reserved (a client IP's destination countries are kept under that name)");
                continue;
            }

            var options = Bind(name, section.GetSection(name), key, errors);
            if (options is null)
            {
                continue;
            }

            var failures = Validator.Validate(options).Errors;
            foreach (var failure in failures)
            {
                errors.Add($"{key}:{ConfigurationKey.FromPropertyPath(failure.PropertyName)}: {failure.ErrorMessage}");
            }

            var weak = outsideDevelopment && options.Enabled ? StrengthErrors(key, options) : [];
            errors.AddRange(weak);
            if (options.Enabled && failures.Count == 0 && weak.Count == 0)
            {
                policies[name] = VerificationPolicy.From(name, options);
            }
        }

        return errors.Count > 0 ? (null, errors) : (policies.ToFrozenDictionary(StringComparer.Ordinal), errors);
    }

    /// <summary>
    /// What Development may try but no other environment may run: fewer than 10^6 possible codes (ASVS 5.0 6.5.4
    /// asks at least 20 bits), and for a policy that binds a transaction more than 5 wrong codes (PSD2 RTS art. 4).
    /// </summary>
    private static List<string> StrengthErrors(string key, PolicyOptions options)
    {
        var errors = new List<string>();
        var shortest = options.Alphabet == CodeAlphabet.Alphanumeric ? 5 : 6;
        if (options.CodeLength < shortest)
        {
            errors.Add($"{key}:{nameof(PolicyOptions.CodeLength)}: must be at least {shortest} for {options.Alphabet} codes outside Development " +
                "(at least 10^6 possible codes: ASVS 5.0 6.5.4)");
        }

        if (options.RequiresTransaction && options.MaxAttempts > PaymentMaxFailures)
        {
            errors.Add($"{key}:{nameof(PolicyOptions.MaxAttempts)}: must be at most {PaymentMaxFailures} for a policy that binds a transaction, outside Development (PSD2 RTS art. 4)");
        }

        if (options.RequiresTransaction && options.Lockout.MaxFailures > PaymentMaxFailures)
        {
            errors.Add($"{key}:Lockout:MaxFailures: must be at most {PaymentMaxFailures} for a policy that binds a transaction, outside Development (PSD2 RTS art. 4)");
        }

        return errors;
    }

    private static PolicyOptions? Bind(string name, IConfigurationSection section, string key, List<string> errors)
    {
        var options = new PolicyOptions { RequiresTransaction = name == "payment" };

        // The binder appends configured list items to the defaults; a configured list replaces them instead.
        if (section.GetSection(nameof(PolicyOptions.PhoneLimits)).Exists())
        {
            options.PhoneLimits = [];
        }

        if (section.GetSection(nameof(PolicyOptions.IpLimits)).Exists())
        {
            options.IpLimits = [];
        }

        if (section.GetSection($"{nameof(PolicyOptions.LineTypes)}:{nameof(LineTypePermissions.Sms)}").Exists())
        {
            options.LineTypes.Sms = [];
        }

        if (section.GetSection($"{nameof(PolicyOptions.LineTypes)}:{nameof(LineTypePermissions.Voice)}").Exists())
        {
            options.LineTypes.Voice = [];
        }

        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            if (options.RequiresTransaction && !section.GetSection($"{nameof(PolicyOptions.Lockout)}:{nameof(LockoutOptions.MaxFailures)}").Exists())
            {
                // A policy that binds a transaction locks after PSD2's 5 wrong codes in a row unless told otherwise.
                options.Lockout.MaxFailures = PaymentMaxFailures;
            }

            return options;
        }
        catch (InvalidOperationException exception)
        {
            errors.Add($"{key}: {exception.Message}");
            return null;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}\\z")]
    private static partial Regex PurposeName();

    private sealed record LockoutCache(FrozenDictionary<string, VerificationPolicy> Source, FrozenDictionary<string, LockoutRule> Lockouts);
}
