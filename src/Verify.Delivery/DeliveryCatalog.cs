using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Verify.Delivery.Configuration;
using Verify.Delivery.Providers;

namespace Verify.Delivery;

/// <summary>
/// <c>Verify:Delivery</c>, validated on start and on every reload like the policies: an invalid change
/// is refused with one log line per key, and the last good settings stay. Providers are created at
/// start, so a reload may change their settings and the routes, not add, remove or retype a provider.
/// </summary>
internal sealed partial class DeliveryCatalog : IDisposable
{
    public const string ProvidersSectionName = DeliveryOptions.SectionName + ":Providers";

    private static readonly string[] GuardKeys = ["Type", nameof(ProviderSettings.Timeout), nameof(ProviderSettings.MaxConcurrency), nameof(ProviderSettings.Breaker)];

    private readonly ReloadingSnapshot<DeliverySettings> _settings;

    public DeliveryCatalog(IConfiguration configuration, IHostEnvironment environment, IEnumerable<IDeliveryProviderType> kinds, ILogger<DeliveryCatalog> logger)
    {
        // Staging, "prod" or any other name is not Development: the console sender prints codes (issue 12, point 3).
        var outsideDevelopment = !environment.IsDevelopment();
        var known = ByType(kinds);
        FrozenDictionary<string, string>? created = null;
        _settings = new("delivery", configuration, c => Build(c, outsideDevelopment, known, created), Describe, logger);
        created = _settings.Current.Providers.ToFrozenDictionary(p => p.Key, p => p.Value.Kind.Type, StringComparer.Ordinal);
    }

    public event Action<string, bool>? Reloaded
    {
        add => _settings.Reloaded += value;
        remove => _settings.Reloaded -= value;
    }

    public DeliverySettings Current => _settings.Current;

    public void Dispose() => _settings.Dispose();

    public static FrozenDictionary<string, IDeliveryProviderType> ByType(IEnumerable<IDeliveryProviderType> kinds) =>
        kinds.ToFrozenDictionary(k => k.Type, StringComparer.OrdinalIgnoreCase);

    /// <param name="kinds">The provider kinds by <c>Type</c> (<see cref="DeliveryProviderTypes.All"/>).</param>
    /// <param name="fixedKinds">After start: the providers (name → kind) a reload must keep.</param>
    public static (DeliverySettings? Settings, List<string> Errors) Build(
        IConfiguration configuration, bool outsideDevelopment, IReadOnlyDictionary<string, IDeliveryProviderType> kinds, IReadOnlyDictionary<string, string>? fixedKinds = null)
    {
        var errors = new List<string>();
        var section = configuration.GetSection(DeliveryOptions.SectionName);
        var options = new DeliveryOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            errors.Add($"{DeliveryOptions.SectionName}: {exception.Message}");
            return (null, errors);
        }

        var providersSection = configuration.GetSection(ProvidersSectionName);
        var providers = providersSection.GetChildren().Any()
            ? BindProviders(providersSection, kinds, errors)
            : ImpliedProvider(configuration, options, kinds, errors);

        if (outsideDevelopment)
        {
            foreach (var console in providers.Values.Where(p => p.Kind.Type == ConsoleProviderType.Name))
            {
                errors.Add($"{ProvidersSectionName}:{console.Name}: the console sender prints codes to standard output and runs in Development only: configure a real provider (or {DeliveryOptions.SectionName}:Webhook:Url)");
            }
        }

        if (fixedKinds is not null)
        {
            CheckUnchanged(fixedKinds, providers, errors);
        }

        var routes = BindRoutes(options.Routes, providers, errors);
        var publicBaseUrl = options.PublicBaseUrl;
        if (publicBaseUrl is not null)
        {
            if (!publicBaseUrl.IsAbsoluteUri || (publicBaseUrl.Scheme != Uri.UriSchemeHttps && publicBaseUrl.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.PublicBaseUrl)}: must be an absolute https (or http) URL");
            }
            else if (!publicBaseUrl.AbsolutePath.EndsWith('/'))
            {
                publicBaseUrl = new Uri(publicBaseUrl.AbsoluteUri + "/");
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new DeliverySettings(providers.ToFrozenDictionary(StringComparer.Ordinal), routes, publicBaseUrl), errors);
    }

    private static Dictionary<string, ConfiguredProvider> BindProviders(IConfigurationSection providersSection, IReadOnlyDictionary<string, IDeliveryProviderType> kinds, List<string> errors)
    {
        var providers = new Dictionary<string, ConfiguredProvider>(StringComparer.Ordinal);
        foreach (var section in providersSection.GetChildren())
        {
            if (!ProviderName().IsMatch(section.Key))
            {
                errors.Add($"{section.Path}: a provider name is 1 to 40 letters, digits, '-' or '_'");
                continue;
            }

            var type = section["Type"];
            if (string.IsNullOrEmpty(type) || !kinds.TryGetValue(type, out var kind))
            {
                errors.Add($"{section.Path}:Type: must be one of {string.Join(", ", kinds.Keys.Order(StringComparer.Ordinal))}");
                continue;
            }

            var allowed = new HashSet<string>(GuardKeys.Concat(kind.Keys), StringComparer.OrdinalIgnoreCase);
            foreach (var unknown in section.GetChildren().Where(c => !allowed.Contains(c.Key)))
            {
                errors.Add($"{unknown.Path}: not a setting of a {kind.Type} provider");
            }

            var guards = BindGuards(section, errors);
            providers[section.Key] = new ConfiguredProvider(section.Key, kind, guards, kind.Bind(section, errors));
        }

        return providers;
    }

    /// <summary>Without <c>Providers</c>: the webhook of <c>Verify:Delivery:Webhook</c>, or the console.</summary>
    private static Dictionary<string, ConfiguredProvider> ImpliedProvider(IConfiguration configuration, DeliveryOptions options, IReadOnlyDictionary<string, IDeliveryProviderType> kinds, List<string> errors)
    {
        var name = options.ResolveSender();
        if (!kinds.TryGetValue(name, out var kind) || (name != ConsoleProviderType.Name && name != WebhookProviderType.Name))
        {
            errors.Add($"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.Sender)}: must be \"console\" or \"webhook\" (or configure {ProvidersSectionName})");
            return [];
        }

        var section = configuration.GetSection($"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.Webhook)}");
        var guards = BindGuards(section, errors);
        return new Dictionary<string, ConfiguredProvider>(StringComparer.Ordinal) { [name] = new(name, kind, guards, kind.Bind(section, errors)) };
    }

    private static ProviderSettings BindGuards(IConfigurationSection section, List<string> errors)
    {
        var guards = new ProviderSettings();
        try
        {
            section.Bind(guards);
        }
        catch (InvalidOperationException exception)
        {
            errors.Add($"{section.Path}: {exception.Message}");
            return guards;
        }

        errors.AddRange(ProviderSettingsValidator.Instance.Validate(guards).Errors
            .Select(f => $"{section.Path}:{ConfigurationKey.FromPropertyPath(f.PropertyName)}: {f.ErrorMessage}"));
        return guards;
    }

    private static List<DeliveryRoute> BindRoutes(List<DeliveryRouteOptions> configured, Dictionary<string, ConfiguredProvider> providers, List<string> errors)
    {
        if (configured.Count == 0)
        {
            if (providers.Count > 1)
            {
                errors.Add($"{DeliveryOptions.SectionName}:Routes: required when more than one provider is configured (which serves what, in which order)");
                return [];
            }

            // One provider serves everything it can.
            return providers.Values.SelectMany(p => p.Kind.SupportsVoice
                    ? new[] { DeliveryRoute.CatchAll(DeliveryChannel.Sms, p.Name), DeliveryRoute.CatchAll(DeliveryChannel.Voice, p.Name) }
                    : [DeliveryRoute.CatchAll(DeliveryChannel.Sms, p.Name)])
                .ToList();
        }

        var routes = new List<DeliveryRoute>(configured.Count);
        for (var i = 0; i < configured.Count; i++)
        {
            var key = $"{DeliveryOptions.SectionName}:Routes:{i}";
            var route = configured[i];
            DeliveryChannel? channel = route.Channel.ToLowerInvariant() switch
            {
                "sms" => DeliveryChannel.Sms,
                "voice" => DeliveryChannel.Voice,
                _ => null,
            };
            if (channel is null)
            {
                errors.Add($"{key}:Channel: must be \"sms\" or \"voice\"");
            }

            if (route.Providers.Count == 0)
            {
                errors.Add($"{key}:Providers: name at least one provider");
            }

            for (var p = 0; p < route.Providers.Count; p++)
            {
                if (!providers.TryGetValue(route.Providers[p], out var provider))
                {
                    errors.Add($"{key}:Providers:{p}: no provider \"{route.Providers[p]}\" under {ProvidersSectionName}");
                }
                else if (channel == DeliveryChannel.Voice && !provider.Kind.SupportsVoice)
                {
                    errors.Add($"{key}:Providers:{p}: a {provider.Kind.Type} provider cannot make voice calls");
                }
            }

            if (route.Providers.Distinct(StringComparer.Ordinal).Count() != route.Providers.Count)
            {
                errors.Add($"{key}:Providers: a provider is listed twice");
            }

            for (var c = 0; c < route.Countries.Count; c++)
            {
                if (!CountryCodes.IsValid(route.Countries[c]))
                {
                    errors.Add($"{key}:Countries:{c}: {CountryCodes.Message}");
                }
            }

            for (var p = 0; p < route.Purposes.Count; p++)
            {
                if (string.IsNullOrWhiteSpace(route.Purposes[p]))
                {
                    errors.Add($"{key}:Purposes:{p}: must not be empty");
                }
            }

            routes.Add(new DeliveryRoute(
                route.Purposes.ToFrozenSet(StringComparer.Ordinal),
                route.Countries.ToFrozenSet(StringComparer.Ordinal),
                channel ?? DeliveryChannel.Sms,
                route.Providers.ToArray()));
        }

        return routes;
    }

    private static void CheckUnchanged(IReadOnlyDictionary<string, string> fixedKinds, Dictionary<string, ConfiguredProvider> providers, List<string> errors)
    {
        foreach (var (name, kind) in fixedKinds)
        {
            if (!providers.TryGetValue(name, out var provider))
            {
                errors.Add($"{ProvidersSectionName}:{name}: providers are created at start: restart Verify to remove one");
            }
            else if (provider.Kind.Type != kind)
            {
                errors.Add($"{ProvidersSectionName}:{name}:Type: providers are created at start: restart Verify to change a provider's type");
            }
        }

        foreach (var name in providers.Keys.Where(n => !fixedKinds.ContainsKey(n)))
        {
            errors.Add($"{ProvidersSectionName}:{name}: providers are created at start: restart Verify to add one");
        }
    }

    private static string Describe(DeliverySettings settings) =>
        $"{settings.Providers.Count} providers ({string.Join(", ", settings.Providers.Values.Select(p => $"{p.Name}: {p.Kind.Type}"))}), {settings.Routes.Count} routes";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}\\z")]
    private static partial Regex ProviderName();
}
