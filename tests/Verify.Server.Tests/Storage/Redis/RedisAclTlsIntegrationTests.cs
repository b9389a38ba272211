using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Verify.Engine.Limits;
using Verify.Engine.Storage;
using Verify.Engine.Storage.Redis;
using Verify.Engine.Verification;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// Redis as README ("Running Redis") tells an operator to run it: TLS only, the default user off, and Verify logged
/// in as an ACL user that may run only what Verify sends (<see cref="SecuredRedisServer.VerifyRules"/>). The engine
/// works over it; a wrong password or a certificate not from the configured CA is refused at connect, and Verify
/// then fails closed; the ACL user cannot do what Verify never does.
/// </summary>
public sealed class RedisAclTlsIntegrationTests : IDisposable
{
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            _disposables[i].Dispose();
        }
    }

    [Fact]
    public async Task Engine_OverTlsAsTheAclUser_StartsChecksCancelsAndAdministers_AndRedisDeniedNothing()
    {
        var redis = Track(SecuredRedisServer.Start());
        var (fixture, store, runner) = Engine(redis.StoreOptions());

        Assert.True(await store.PingAsync(CancellationToken.None));
        var first = await fixture.StartedAsync(fixture.Start(phone: "+8613812345601", clientIp: "203.0.113.7"));
        Assert.False((await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode), clientIp: "203.0.113.7")).Valid);
        Assert.True((await fixture.CheckedAsync(first.Id, fixture.Capture.LastCode, clientIp: "203.0.113.7")).Valid);

        var second = await fixture.StartedAsync(fixture.Start(phone: "+8613812345602", clientIp: "203.0.113.7"));
        Assert.IsType<CancelOutcome.Canceled>(await fixture.Verifier.CancelAsync(second.Id, string.Empty, CancellationToken.None));

        // A send the provider refuses: its admissions are given back (refund scripts).
        var refusing = Track(new VerifierFixture(sender: new ScriptedSmsSender("refusing") { Behaviour = ScriptedSmsSender.Refuse }, store: _ => store));
        Assert.IsNotType<StartOutcome.Started>(await refusing.Verifier.StartAsync(refusing.Start(phone: "+8613812345603", clientIp: "203.0.113.8"), CancellationToken.None));

        // The admin service's reads and resets: plain commands, not scripts.
        var admin = new RedisLimitAdministration(runner, new RedisKeys(SecuredRedisServer.KeyPrefix), TimeProvider.System);
        await admin.ReadPhoneAsync("+8613812345601", "login", CancellationToken.None);
        await admin.ReadIpAsync("203.0.113.7", "login", CancellationToken.None);
        await admin.ReadIpWrongCodesAsync("203.0.113.7", CancellationToken.None);
        await admin.ReadIpCountriesAsync("203.0.113.7", CancellationToken.None);
        await admin.ReadCounterAsync(LimitScope.Country, "CN", CancellationToken.None);
        await admin.ListBlocksAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await admin.ResetPhoneAsync("+8613812345601", "login", DateTimeOffset.UtcNow, CancellationToken.None);
        await admin.ResetIpAsync("203.0.113.7", ["login"], CancellationToken.None);
        await admin.ResetCounterAsync(LimitScope.Country, "CN", CancellationToken.None);
        await admin.UnblockAsync(LimitScope.Prefix, "86138", DateTimeOffset.UtcNow, CancellationToken.None);

        // Redis logs every command (and key) an ACL refused, the client's handshake included: none was.
        using var inspector = redis.ConnectAdmin();
        var denied = (RedisResult[])(await inspector.GetDatabase().ExecuteAsync("ACL", "LOG"))!;
        Assert.True(denied.Length == 0, "Redis refused: " + string.Join("; ", denied.Select(Describe)));
    }

    [Fact]
    public async Task MutualTls_RedisDemandingClientCertificates_ConnectsWithTheConfiguredOneOnly()
    {
        var redis = Track(SecuredRedisServer.Start(requireClientCertificates: true));

        var (_, withCertificate, _) = Engine(redis.StoreOptions(clientCertificate: true));
        var (_, without, _) = Engine(redis.StoreOptions(clientCertificate: false));

        Assert.True(await withCertificate.PingAsync(CancellationToken.None));
        Assert.False(await without.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WrongPassword_RefusedAtConnect_StoreDownAndStartsUnavailable_LogSaysWhyWithoutThePassword()
    {
        var redis = Track(SecuredRedisServer.Start());
        var logger = new FakeLogger();
        const string wrong = "not-the-password-4f1c9e";

        var (fixture, store, _) = Engine(redis.StoreOptions(password: wrong), logger);

        Assert.False(await store.PingAsync(CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None));
        // At start, and again if a reconnect is refused meanwhile: each names the settings and Redis's reason.
        var refusals = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 613).ToList();
        Assert.True(refusals.Count > 0, string.Join(" | ", logger.Collector.GetSnapshot().Select(r => r.Message)));
        Assert.All(refusals, r => Assert.Matches("WRONGPASS|NOAUTH", r.Message));
        Assert.All(refusals, r => Assert.Contains("Verify:Redis:Password", r.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Message.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerCertificateFromAnotherCa_Refused_StoreDownAndStartsUnavailable()
    {
        var redis = Track(SecuredRedisServer.Start(serverUnderAnotherCa: true));
        var logger = new FakeLogger();

        // Verify trusts the run's CA; Redis shows a certificate (for 127.0.0.1, valid) from another.
        var (fixture, store, _) = Engine(redis.StoreOptions(), logger);

        Assert.False(await store.PingAsync(CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 614 && r.Message.Contains("does not chain to Verify:Redis:Tls:CaCertificatePath", StringComparison.Ordinal));
        Assert.Contains("+PONG", redis.Server.TryCommand("PING"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerCertificateForAnotherName_RefusedUnlessServerNameNamesIt()
    {
        var redis = Track(SecuredRedisServer.Start(serverNames: ["redis.internal.test"]));

        var logger = new FakeLogger();
        var (_, byAddress, _) = Engine(redis.StoreOptions(), logger);
        var (_, byName, _) = Engine(redis.StoreOptions(serverName: "redis.internal.test"));

        Assert.False(await byAddress.PingAsync(CancellationToken.None));
        Assert.True(await byName.PingAsync(CancellationToken.None));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 614 && r.Message.Contains("does not name 127.0.0.1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("FLUSHALL")]
    [InlineData("CONFIG", "GET", "*")]
    [InlineData("KEYS", "*")]
    [InlineData("SCAN", "0")]
    [InlineData("FLUSHDB")]
    [InlineData("SCRIPT", "FLUSH")]
    [InlineData("ACL", "LIST")]
    [InlineData("GET", "other:{x}:p:+8613812345678")]
    [InlineData("SET", "other:{x}:p:+8613812345678", "1")]
    [InlineData("EVAL", "return redis.call('FLUSHALL')", "0")]
    [InlineData("EVAL", "return redis.call('GET', KEYS[1])", "1", "other:{x}")]
    [InlineData("PUBLISH", "verify:channel", "x")]
    public async Task AclUser_CommandsVerifyNeverSends_Refused(string command, params string[] arguments)
    {
        var redis = Track(SecuredRedisServer.Start());
        using var inspector = redis.ConnectAdmin();
        await inspector.GetDatabase().StringSetAsync("other:{x}:p:+8613812345678", "kept");
        using var asVerify = redis.ConnectAsVerify();

        var refused = await Assert.ThrowsAsync<RedisServerException>(() => asVerify.GetDatabase().ExecuteAsync(command, [.. arguments]));

        // Refused by the ACL: NOPERM, or, for a command a script calls, Redis 7.0's wording of the same.
        Assert.True(
            refused.Message.StartsWith("NOPERM", StringComparison.Ordinal) || refused.Message.Contains("The user executing the script can't run this command", StringComparison.Ordinal),
            refused.Message);
        Assert.Equal("kept", (string?)await inspector.GetDatabase().StringGetAsync("other:{x}:p:+8613812345678"));
    }

    [Fact]
    public async Task DefaultUser_IsOff()
    {
        var redis = Track(SecuredRedisServer.Start());
        var options = RedisConnectionSettings.Build(new RedisStoreOptions
        {
            Configuration = redis.Server.EndPoint + ",abortConnect=false",
            Tls = new RedisTlsOptions { Enabled = true, CaCertificatePath = redis.CaCertificatePath },
        });
        using var anonymous = await ConnectionMultiplexer.ConnectAsync(options);

        Assert.False(anonymous.IsConnected);
        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());
    }

    [Fact]
    public void Readme_GivesTheAclLineTheseTestsRun()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

        Assert.Contains($"user verify on >PASSWORD {SecuredRedisServer.VerifyRules}", readme, StringComparison.Ordinal);
    }

    private (VerifierFixture Fixture, RedisVerificationStore Store, RedisCommandRunner Runner) Engine(RedisStoreOptions settings, ILogger? logger = null)
    {
        var multiplexer = Track(RedisConnectionFactory.Connect(settings, logger ?? NullLogger.Instance));
        var runner = new RedisCommandRunner(multiplexer, Options.Create(settings), TimeProvider.System);
        var store = new RedisVerificationStore(
            runner, new RedisKeys(settings.KeyPrefix), new FixedOptionsMonitor<RedisStoreOptions>(settings), NullLogger<RedisVerificationStore>.Instance);
        return (Track(new VerifierFixture(store: _ => store)), store, runner);
    }

    private static string Describe(RedisResult entry)
    {
        var fields = (RedisResult[])entry!;
        var pairs = new List<string>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            pairs.Add($"{fields[i]}={fields[i + 1]}");
        }

        return string.Join(" ", pairs);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Verify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Verify.sln above {AppContext.BaseDirectory}");
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
