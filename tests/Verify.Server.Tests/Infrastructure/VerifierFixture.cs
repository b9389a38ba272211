using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Verify.Engine.Codes;
using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Engine.Messages;
using Verify.Server.Metrics;
using Verify.Delivery.Phones;
using Verify.Engine.Storage;
using Verify.Engine.Throttling;
using Verify.Server.Verification;
using Verify.Server.Tests.Infrastructure.Redis;
using Verify.Engine.Verification;
using Verify.Engine.Metrics;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>
/// The real engine over a real store (the embedded one unless another is given: the store contract suites
/// run the same tests over redis-server and a cluster), a hand-moved clock and a capturing sender.
/// </summary>
internal sealed class VerifierFixture : IDisposable
{
    public VerifierFixture(
        IDictionary<string, string?>? settings = null, ISmsSender? sender = null, HmacKeyRing? keys = null, Func<TimeProvider, IVerificationStore>? store = null)
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        Policies = new PolicyCatalog(Configuration, NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);
        Limits = new LimitCatalog(Configuration, NullLogger<LimitCatalog>.Instance);
        Store = store is null ? EmbeddedRedisSource.Shared.CreateStore() : store(Time);
        Keys = keys ?? HmacKeyRing.Ephemeral();
        Sender = sender ?? Capture;
        Verifier = VerifierWith(Keys);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    public IConfigurationRoot Configuration { get; }

    public PolicyCatalog Policies { get; }

    public LimitCatalog Limits { get; }

    public VerifyMetrics Metrics { get; } = new(Meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    // One meter factory for the fixtures: each VerifyMetrics still has its own instruments.
    private static ServiceProvider Meters { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IVerificationStore Store { get; }

    public HmacKeyRing Keys { get; }

    public CapturingSmsSender Capture { get; } = new();

    public ISmsSender Sender { get; }

    public Verifier Verifier { get; }

    /// <summary>Another engine over the same store, clock and sender: a replica, or this one restarted with other keys.</summary>
    public Verifier VerifierWith(HmacKeyRing keys) =>
        new(Store, Sender, new CodeHasher(keys), new MessageTemplateCatalog(new MessageOptions()), Policies, Limits, Metrics, Time, NullLogger<Verifier>.Instance);

    public static PhoneNumber Phone(string e164 = "+8613812345678")
    {
        Assert.True(PhoneNumberParser.TryParse(e164, out var phone, out var error), error);
        return phone!;
    }

    public VerificationPolicy Policy(string purpose = "login")
    {
        Assert.True(Policies.TryGet(purpose, out var policy));
        return policy;
    }

    public StartInput Start(string purpose = "login", string phone = "+8613812345678", string? clientIp = null, TransactionDetails? transaction = null, string? idempotencyKey = null, string? locale = null) =>
        new(Phone(phone), Policy(purpose), locale, clientIp, transaction, idempotencyKey);

    public async Task<VerificationRecord> StartedAsync(StartInput input)
    {
        var outcome = await Verifier.StartAsync(input, CancellationToken.None);
        return Assert.IsType<StartOutcome.Started>(outcome).Record;
    }

    public Task<CheckOutcome> CheckAsync(string id, string code, TransactionDetails? transaction = null, string? clientIp = null, string caller = "anonymous") =>
        Verifier.CheckAsync(new CheckInput(id, null, null, code, transaction, clientIp) { CallerName = caller }, CancellationToken.None);

    public async Task<CheckOutcome.Checked> CheckedAsync(string id, string code, TransactionDetails? transaction = null, string? clientIp = null, string caller = "anonymous") =>
        Assert.IsType<CheckOutcome.Checked>(await CheckAsync(id, code, transaction, clientIp, caller));

    /// <summary>
    /// Whether the number has a live verification for the purpose, asked as a caller would: a check by
    /// number with a code too short to be any (refused as malformed, nothing counted) finds one; else not found.
    /// </summary>
    public async Task<bool> HasLiveVerificationAsync(string phone, string purpose = "login") =>
        await Verifier.CheckAsync(new CheckInput(null, Phone(phone), purpose, "0", null, null), CancellationToken.None) switch
        {
            CheckOutcome.Malformed => true,
            CheckOutcome.NotFound => false,
            var other => throw new InvalidOperationException($"A check with a one-character code answered {other}."),
        };

    /// <summary>A code of the right shape that is not <paramref name="code"/>: its first digit differs.</summary>
    public static string WrongCode(string code) => new(code[0] == '0' ? '1' : '0', code.Length);

    public void Dispose()
    {
        (Store as IDisposable)?.Dispose();
        Policies.Dispose();
        Limits.Dispose();
        Metrics.Dispose();
    }
}
