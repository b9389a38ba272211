using Verify.Engine.Codes;
using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Engine.Messages;
using Microsoft.Extensions.Options;
using Verify.EmbeddedRedis;
using Verify.Engine.Storage.Redis;
using Verify.Engine.Throttling;
using Verify.Server.RequestLimits;

namespace Verify.Server.Hosting;

/// <summary>Says at start what a reader of the log must know: dev-only parts in use, weak or multi-SMS settings.</summary>
internal sealed partial class StartupReport(
    HmacKeyRing keys,
    PolicyCatalog policies,
    MessageTemplateCatalog templates,
    DeliveryCatalog delivery,
    IOptionsMonitor<RedisStoreOptions> storeOptions,
    RequestLimiter requestLimits,
    LimitCatalog limits,
    IHostEnvironment environment,
    ILogger<StartupReport> logger,
    EmbeddedRedisServer? embeddedStore = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var providers = delivery.Current.Providers.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name == p.Kind.Type ? p.Name : $"{p.Name} ({p.Kind.Type})");
        // The record layout matters during a rolling upgrade (README, Upgrading): say which one this replica writes.
        var layout = storeOptions.CurrentValue.WrongCodesInRecord ? "wrong codes in the record" : "the previous release's record layout";
        // How Redis is reached (endpoints, user, TLS), never the password: the configuration string itself is not logged.
        var store = storeOptions.CurrentValue;
        Log.Started(logger, embeddedStore is null ? $"redis at {RedisConnectionSettings.Describe(store)}, {layout}" : $"embedded on {embeddedStore.EndPoint} (development only), {layout}", string.Join(", ", providers), string.Join(", ", policies.Purposes.Order()));
        if (embeddedStore is null && RedisConnectionSettings.IsExposed(store))
        {
            Log.RedisExposed(logger);
        }

        foreach (var purpose in policies.Purposes.Order(StringComparer.Ordinal))
        {
            // "ZZ" is in no route's country list: a purpose without a route for it misses some countries.
            if (delivery.Current.RouteFor(purpose, "ZZ", DeliveryChannel.Sms) is null)
            {
                Log.UnroutedPurpose(logger, purpose);
            }
        }

        // Per replica: what a caller may do in total is this times the replicas (README, Configuration).
        if (requestLimits.Current.Enabled)
        {
            Log.RequestLimits(logger, requestLimits.Current.Describe());
        }
        else
        {
            Log.RequestLimitsOff(logger);
        }

        // Fixed codes, no throttle: harmless for numbers the team owns, a back door for any other.
        if (limits.Current.SafeNumbers.Count > 0 && !environment.IsDevelopment())
        {
            Log.SafeNumbers(logger, limits.Current.SafeNumbers.Count, environment.EnvironmentName);
        }

        if (keys.IsEphemeral)
        {
            Log.EphemeralKey(logger);
        }

        foreach (var purpose in policies.Purposes)
        {
            policies.TryGet(purpose, out var policy);
            var bits = CodeGenerator.EntropyBits(policy!.Alphabet, policy.CodeLength);
            if (bits < 19.9)
            {
                Log.WeakCodes(logger, purpose, policy.CodeLength, policy.Alphabet, bits);
            }
        }

        var longestCode = policies.Purposes.Max(p => policies.TryGet(p, out var policy) ? policy.CodeLength : 0);
        foreach (var (purpose, locale, segments) in templates.FindMultiSegmentTemplates(longestCode))
        {
            Log.MultiSegment(logger, purpose, locale, segments.Segments, segments.Charset.ToString());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(508, LogLevel.Warning, "Verify:SafeList holds {Count} test numbers in {Environment}: each answers its fixed code, with no throttle and no SMS, to the purposes and callers it names. Keep only numbers you own.")]
        public static partial void SafeNumbers(ILogger logger, int count, string environment);

        [LoggerMessage(500, LogLevel.Information, "Verify started: store {Store}, providers {Providers}, purposes {Purposes}.")]
        public static partial void Started(ILogger logger, string store, string providers, string purposes);

        [LoggerMessage(507, LogLevel.Warning, "Redis is reached without a password, or from another host without TLS: whoever can write its keys can reset attempt counters, lockouts and limits. Give Verify its own ACL user (Verify:Redis:User, Verify:Redis:Password) and TLS (Verify:Redis:Tls); README, Running Redis.")]
        public static partial void RedisExposed(ILogger logger);

        [LoggerMessage(504, LogLevel.Warning, "Purpose {Purpose}: no route of Verify:Delivery:Routes serves every country; texts to the others will fail.")]
        public static partial void UnroutedPurpose(ILogger logger, string purpose);

        [LoggerMessage(505, LogLevel.Information, "Request limits, per replica: {Limits}.")]
        public static partial void RequestLimits(ILogger logger, string limits);

        [LoggerMessage(506, LogLevel.Warning, "Request limits are off (Verify:RequestLimits:Enabled): one caller's flood of calls can starve the others.")]
        public static partial void RequestLimitsOff(ILogger logger);

        [LoggerMessage(501, LogLevel.Warning, "No HMAC key is configured (Verify:Hashing): a random key was made for this process. Codes will not survive a restart, and replicas sharing a Redis cannot check each other's codes. Configure keys before production.")]
        public static partial void EphemeralKey(ILogger logger);

        [LoggerMessage(502, LogLevel.Warning, "Policy {Purpose}: {Length} {Alphabet} characters give {Bits:0.0} bits, under the 20 bits of OWASP ASVS 6.5.4.")]
        public static partial void WeakCodes(ILogger logger, string purpose, int length, CodeAlphabet alphabet, double bits);

        [LoggerMessage(503, LogLevel.Warning, "Template {Purpose}/{Locale} may need {Segments} SMS segments ({Charset}) with the longest values: each costs a message.")]
        public static partial void MultiSegment(ILogger logger, string purpose, string locale, int segments, string charset);
    }
}
