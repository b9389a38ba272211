using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Verify.Server.Configuration;

/// <summary>
/// The policies in force, from <c>Verify:Policies</c> over the built-in login, signup and payment.
/// A reload that fails validation is refused with one log line per error and the last good set stays;
/// an invalid set at start stops the service.
/// </summary>
internal sealed partial class PolicyCatalog : IDisposable
{
    public const string SectionName = "Verify:Policies";

    private static readonly string[] BuiltInPurposes = ["login", "signup", "payment"];
    private static readonly PolicyOptionsValidator Validator = new();

    private readonly IConfiguration _configuration;
    private readonly ILogger<PolicyCatalog> _logger;
    private readonly IDisposable _reloadRegistration;
    private volatile FrozenDictionary<string, VerificationPolicy> _policies;

    public PolicyCatalog(IConfiguration configuration, ILogger<PolicyCatalog> logger)
    {
        _configuration = configuration;
        _logger = logger;
        var (policies, errors) = Build(configuration);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid verification policies: " + string.Join("; ", errors));
        }

        _policies = policies!;
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>Raised after a reload was accepted (true) or refused (false).</summary>
    public event Action<bool>? Reloaded;

    public IReadOnlyCollection<string> Purposes => _policies.Keys;

    public bool TryGet(string purpose, [NotNullWhen(true)] out VerificationPolicy? policy) =>
        _policies.TryGetValue(purpose, out policy);

    public void Dispose() => _reloadRegistration.Dispose();

    /// <summary>The policies a configuration describes, or the errors that make it unusable, each naming its key.</summary>
    public static (FrozenDictionary<string, VerificationPolicy>? Policies, List<string> Errors) Build(IConfiguration configuration)
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

            var options = Bind(name, section.GetSection(name), key, errors);
            if (options is null)
            {
                continue;
            }

            foreach (var failure in Validator.Validate(options).Errors)
            {
                errors.Add($"{key}:{failure.PropertyName}: {failure.ErrorMessage}");
            }

            if (options.Enabled)
            {
                policies[name] = VerificationPolicy.From(name, options);
            }
        }

        return errors.Count > 0 ? (null, errors) : (policies.ToFrozenDictionary(StringComparer.Ordinal), errors);
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

        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            return options;
        }
        catch (InvalidOperationException exception)
        {
            errors.Add($"{key}: {exception.Message}");
            return null;
        }
    }

    private void Reload()
    {
        var (policies, errors) = Build(_configuration);
        if (policies is null)
        {
            foreach (var error in errors)
            {
                Log.ReloadRefused(_logger, error);
            }

            Reloaded?.Invoke(false);
            return;
        }

        _policies = policies;
        Log.Reloaded(_logger, string.Join(", ", policies.Keys.Order()));
        Reloaded?.Invoke(true);
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$")]
    private static partial Regex PurposeName();

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Error, "Configuration reload refused, the previous policies stay in force: {Error}")]
        public static partial void ReloadRefused(ILogger logger, string error);

        [LoggerMessage(101, LogLevel.Information, "Verification policies reloaded: {Purposes}")]
        public static partial void Reloaded(ILogger logger, string purposes);
    }
}
