using Verify.EmbeddedRedis;
using FluentValidation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Verify.Server.Admin;
using Verify.Engine.Codes;
using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Server.Health;
using Verify.Server.Hosting.Listeners;
using Verify.Engine.Messages;
using Verify.Server.Metrics;
using Verify.Server.Security;
using Verify.Engine.Storage;
using Verify.Engine.Storage.Redis;
using Verify.Server.Telemetry;
using Verify.Engine.Throttling;
using Verify.Server.Validation;
using Verify.Server.Verification;
using Verify.V1;
using Verify.Engine.Verification;
using Verify.Engine.Metrics;
using Verify.Engine.Telemetry;

namespace Verify.Server.Hosting;

/// <summary>All of Verify's registrations. Settings that would be unsafe in Production stop the start here, with the key to fix.</summary>
internal static class VerifyServiceCollectionExtensions
{
    public const string RedisConfigurationKey = "Verify:Redis:Configuration";

    public static IServiceCollection AddVerify(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string>();

        services.TryAddSingleton(TimeProvider.System);
        problems.AddRange(VerifyListeners.FindProblems(configuration));
        services.AddVerifyGrpc(configuration, environment, problems);

        // Named with every other problem at start, not later when the catalog is first resolved.
        problems.AddRange(PolicyCatalog.Build(configuration, !environment.IsDevelopment()).Errors);
        services.AddSingleton<PolicyCatalog>();
        services.AddSingleton<LimitCatalog>();
        services.AddSingleton(AddKeyRing(configuration, environment, problems));
        services.AddSingleton<CodeHasher>();
        services.AddSingleton(AddTemplates(configuration, problems));
        AddCallers(services, configuration, environment, problems);
        AddStore(services, configuration, environment, problems);
        services.AddVerifyDelivery(configuration, environment, problems);

        var health = configuration.GetSection(StoreHealthOptions.SectionName).Get<StoreHealthOptions>() ?? new StoreHealthOptions();
        if (health.Problem() is { } healthProblem)
        {
            problems.Add(healthProblem);
        }

        services.AddOptions<StoreHealthOptions>().Bind(configuration.GetSection(StoreHealthOptions.SectionName));
        services.AddHostedService<StartupReport>();

        services.AddVerifyTelemetry(configuration);
        services.AddHostedService<ReloadMetrics>();
        services.AddSingleton<Verifier>();
        // The request validators (not the options validators, which run once per configuration load).
        services.AddValidatorsFromAssemblyContaining<StartVerificationRequestValidator>(
            ServiceLifetime.Singleton, scan => scan.ValidatorType.Namespace == typeof(StartVerificationRequestValidator).Namespace, includeInternalTypes: true);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<VerificationGrpcService>();
        services.AddSingleton<AdminGrpcService>();

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"Verify cannot start in the {environment.EnvironmentName} environment:{Environment.NewLine}  - " +
                string.Join($"{Environment.NewLine}  - ", problems));
        }

        return services;
    }

    private static HmacKeyRing AddKeyRing(IConfiguration configuration, IHostEnvironment environment, List<string> problems)
    {
        var options = configuration.GetSection(HashingOptions.SectionName).Get<HashingOptions>() ?? new HashingOptions();
        if (options.Keys.Count == 0 && options.ActiveKeyId is null)
        {
            if (!environment.IsDevelopment())
            {
                problems.Add($"no HMAC key: set {HashingOptions.SectionName}:ActiveKeyId and {HashingOptions.SectionName}:Keys:<id> (base64 of 32 random bytes)");
            }
            else if (!string.IsNullOrEmpty(configuration[RedisConfigurationKey]))
            {
                // Each process would make its own key: a code sent by one replica would be refused by the other (issue 12, point 4).
                problems.Add($"no HMAC key for a shared Redis ({RedisConfigurationKey}): every replica needs the same key, even in Development; " +
                    $"set {HashingOptions.SectionName}:ActiveKeyId and {HashingOptions.SectionName}:Keys:<id> (base64 of 32 random bytes)");
            }

            return HmacKeyRing.Ephemeral();
        }

        var keys = HmacKeyRing.FromOptions(options, out var errors);
        problems.AddRange(errors);
        return keys;
    }

    private static MessageTemplateCatalog AddTemplates(IConfiguration configuration, List<string> problems)
    {
        var options = configuration.GetSection(MessageOptions.SectionName).Get<MessageOptions>() ?? new MessageOptions();
        var result = new MessageOptionsValidator().Validate(options);
        problems.AddRange(result.Errors.Select(e => e.ErrorMessage));
        return new MessageTemplateCatalog(options);
    }

    private static void AddCallers(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, List<string> problems)
    {
        var options = configuration.GetSection(AuthenticationOptions.SectionName).Get<AuthenticationOptions>() ?? new AuthenticationOptions();
        var enabled = options.Enabled ?? !environment.IsDevelopment();
        if (!enabled && !environment.IsDevelopment())
        {
            problems.Add($"{AuthenticationOptions.SectionName}:Enabled: authentication may be off in Development only");
        }

        var (callers, errors) = CallerDirectory.Build(configuration);
        problems.AddRange(errors);
        if (enabled && callers is { ByName.Count: 0 } && !environment.IsDevelopment())
        {
            problems.Add($"{CallerDirectory.SectionName}: no caller is configured, so every call would be refused (allowed in Development only)");
        }

        ClientCertificateAuthority? authority = null;
        if (options.ClientCertificateAuthorityPath is { Length: > 0 } path)
        {
            try
            {
                authority = ClientCertificateAuthority.Load(path, TimeProvider.System);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
            {
                problems.Add($"{AuthenticationOptions.SectionName}:ClientCertificateAuthorityPath: {exception.Message}");
            }
        }

        services.AddSingleton<CallerDirectory>();
        services.AddSingleton(serviceProvider => new CallerAuthenticator(serviceProvider.GetRequiredService<CallerDirectory>(), authority, enabled));
    }

    /// <summary>
    /// Redis when <c>Verify:Redis:Configuration</c> is set; else the embedded server, in process on loopback,
    /// running the same scripts: one store implementation, whichever holds the keys.
    /// </summary>
    private static void AddStore(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, List<string> problems)
    {
        var section = configuration.GetSection(RedisStoreOptions.SectionName);
        var embedded = string.IsNullOrWhiteSpace(configuration[RedisConfigurationKey]);
        if (embedded)
        {
            // Refused in every environment but Development (Staging, "prod" …), not only in the one named
            // Production: each replica would keep its own attempts, lockouts and limits and lose them on restart.
            if (!environment.IsDevelopment())
            {
                problems.Add($"the embedded store is for development only: set {RedisConfigurationKey}");
            }

            // The embedded store makes its own password and speaks no TLS: these settings would be silently unused.
            foreach (var key in RedisConnectionSettings.ConnectionKeysSet(section.Get<RedisStoreOptions>() ?? new RedisStoreOptions()))
            {
                problems.Add($"{key}: set without {RedisConfigurationKey}; it applies to a Redis of yours, not the embedded store");
            }

            services.AddSingleton(serviceProvider => new EmbeddedRedisServer(serviceProvider.GetRequiredService<TimeProvider>()));
        }
        else
        {
            ValidateRedis(section.Get<RedisStoreOptions>() ?? new RedisStoreOptions(), problems);
        }

        services.AddOptions<RedisStoreOptions>().Bind(section).Configure<IServiceProvider>((options, serviceProvider) =>
        {
            if (embedded)
            {
                options.Configuration = serviceProvider.GetRequiredService<EmbeddedRedisServer>().ConnectionString;
            }
        });
        services.AddSingleton(serviceProvider => RedisConnectionFactory.Connect(
            serviceProvider.GetRequiredService<IOptions<RedisStoreOptions>>().Value,
            serviceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisConnectionFactory).FullName!)));
        services.AddSingleton(serviceProvider => new RedisKeys(serviceProvider.GetRequiredService<IOptions<RedisStoreOptions>>().Value.KeyPrefix));
        services.AddSingleton<RedisCommandRunner>();
        services.AddSingleton<IVerificationStore, RedisVerificationStore>();
        services.AddSingleton<ILimitAdministration, RedisLimitAdministration>();
    }

    private static void ValidateRedis(RedisStoreOptions options, List<string> problems)
    {
        const string prefix = RedisStoreOptions.SectionName;
        RedisConnectionSettings.Validate(options, TimeProvider.System, problems);

        if (options.OperationTimeout < TimeSpan.FromMilliseconds(50) || options.OperationTimeout > TimeSpan.FromSeconds(10))
        {
            problems.Add($"{prefix}:OperationTimeout: must be between 00:00:00.05 and 00:00:10");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.IndexOfAny(['{', '}', ' ']) >= 0)
        {
            problems.Add($"{prefix}:KeyPrefix: must be non-empty, without braces or spaces");
        }
    }

}
