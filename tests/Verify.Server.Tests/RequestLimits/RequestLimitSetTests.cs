using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Server.RequestLimits;

namespace Verify.Server.Tests.RequestLimits;

public sealed class RequestLimitSetTests
{
    private const string Start = "StartVerification";
    private const string Check = "CheckVerification";

    [Fact]
    public void MethodBucket_RefusedFirst_LeavesTheCallersBucketToItsOtherMethods()
    {
        using var limits = Limits(new()
        {
            ["Verify:RequestLimits:PerCaller:TokenLimit"] = "3",
            ["Verify:RequestLimits:PerCaller:TokensPerPeriod"] = "1",
            ["Verify:RequestLimits:PerCaller:ReplenishmentPeriod"] = "01:00:00",
            ["Verify:RequestLimits:PerMethod:StartVerification:TokenLimit"] = "1",
            ["Verify:RequestLimits:PerMethod:StartVerification:TokensPerPeriod"] = "1",
            ["Verify:RequestLimits:PerMethod:StartVerification:ReplenishmentPeriod"] = "01:00:00",
        });

        var first = Acquire(limits, "a", Start);
        var refusedStarts = Enumerable.Range(0, 10).Select(_ => Acquire(limits, "a", Start)).ToList();
        var checks = Enumerable.Range(0, 3).Select(_ => Acquire(limits, "a", Check)).ToList();

        Assert.Null(first);
        Assert.All(refusedStarts, r => Assert.Equal(RequestRefusal.Method, r?.Limit));
        Assert.Equal(TimeSpan.FromHours(1), refusedStarts[0]!.RetryAfter);
        Assert.Null(checks[0]);
        Assert.Null(checks[1]);
        Assert.Equal(RequestRefusal.Caller, checks[2]?.Limit);
        Assert.Null(Acquire(limits, "b", Check));
    }

    [Fact]
    public void Bucket_RefillsOnItsOwn()
    {
        using var limits = Limits(new()
        {
            ["Verify:RequestLimits:PerCaller:TokenLimit"] = "1",
            ["Verify:RequestLimits:PerCaller:TokensPerPeriod"] = "1",
            ["Verify:RequestLimits:PerCaller:ReplenishmentPeriod"] = "00:00:00.1",
        });

        var refused = Enumerable.Range(0, 10_000).Select(_ => Acquire(limits, "a", Check)).FirstOrDefault(r => r is not null);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Acquire(limits, "a", Check) is not null && DateTime.UtcNow < until)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(RequestRefusal.Caller, refused?.Limit);
        Assert.True(DateTime.UtcNow < until, "the bucket never refilled");
    }

    [Fact]
    public void Concurrency_OneMoreThanTheLimit_Refused_UntilASlotIsReleased()
    {
        using var limits = Limits(new() { ["Verify:RequestLimits:ConcurrencyLimit"] = "2" });

        Assert.Null(limits.TryAcquire("a", Check, out var one));
        Assert.Null(limits.TryAcquire("a", Check, out var two));
        var third = limits.TryAcquire("a", Check, out var none);
        var otherCaller = limits.TryAcquire("b", Check, out var other);
        one!.Dispose();
        var afterRelease = limits.TryAcquire("a", Check, out var four);

        Assert.Same(RequestRefusal.InFlight, third);
        Assert.Null(none);
        Assert.Null(otherCaller);
        Assert.Null(afterRelease);
        two!.Dispose();
        four!.Dispose();
        other!.Dispose();
    }

    [Fact]
    public void Disabled_RefusesNothing_HoldsNothing()
    {
        using var limits = Limits(new() { ["Verify:RequestLimits:Enabled"] = "false", ["Verify:RequestLimits:ConcurrencyLimit"] = "1" });

        Assert.All(Enumerable.Range(0, 5000), _ =>
        {
            Assert.Null(limits.TryAcquire("a", Start, out var inFlight));
            Assert.Null(inFlight);
        });
    }

    [Fact]
    public void Reload_NewLimitsApply_ASlotOfTheOldOnesReleasedAfterwards_IsHarmless()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:RequestLimits:ConcurrencyLimit"] = "1" }).Build();
        using var limiter = new RequestLimiter(configuration, NullLogger<RequestLimiter>.Instance);
        var reloads = new List<(string Section, bool Accepted)>();
        limiter.Reloaded += (section, accepted) => reloads.Add((section, accepted));
        Assert.Null(limiter.TryAcquire("a", Check, out var old));
        Assert.NotNull(limiter.TryAcquire("a", Check, out _));

        configuration["Verify:RequestLimits:ConcurrencyLimit"] = "0";
        configuration.Reload();
        var afterInvalid = limiter.TryAcquire("a", Check, out _);
        configuration["Verify:RequestLimits:ConcurrencyLimit"] = "2";
        configuration.Reload();
        old!.Dispose();
        Assert.Null(limiter.TryAcquire("a", Check, out var first));
        Assert.Null(limiter.TryAcquire("a", Check, out var second));
        var third = limiter.TryAcquire("a", Check, out _);

        Assert.Same(RequestRefusal.InFlight, afterInvalid);
        Assert.Same(RequestRefusal.InFlight, third);
        Assert.Equal([("request_limits", false), ("request_limits", true)], reloads);
        first!.Dispose();
        second!.Dispose();
    }

    [Fact]
    public void Reload_OfOtherKeysOnly_KeepsTheBucketsAsTheyWere()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:RequestLimits:PerCaller:TokenLimit"] = "1",
            ["Verify:RequestLimits:PerCaller:TokensPerPeriod"] = "1",
            ["Verify:RequestLimits:PerCaller:ReplenishmentPeriod"] = "01:00:00",
        }).Build();
        using var limiter = new RequestLimiter(configuration, NullLogger<RequestLimiter>.Instance);
        Assert.Null(limiter.TryAcquire("a", Check, out var first));
        first?.Dispose();

        configuration["Verify:Policies:login:Ttl"] = "00:02:00";
        configuration.Reload();
        var afterOtherChange = limiter.TryAcquire("a", Check, out _);
        configuration["Verify:RequestLimits:PerCaller:TokenLimit"] = "2";
        configuration.Reload();
        var afterLimitChange = limiter.TryAcquire("a", Check, out var renewed);
        renewed?.Dispose();

        Assert.Equal(RequestRefusal.Caller, afterOtherChange?.Limit);
        Assert.Null(afterLimitChange);
    }

    private static RequestRefusal? Acquire(RequestLimitSet limits, string caller, string method)
    {
        var refusal = limits.TryAcquire(caller, method, out var inFlight);
        inFlight?.Dispose();
        return refusal;
    }

    private static RequestLimitSet Limits(Dictionary<string, string?> values)
    {
        var (settings, errors) = RequestLimitSettings.Build(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        Assert.Empty(errors);
        return new RequestLimitSet(settings!);
    }
}
