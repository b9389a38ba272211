using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Verify.Admin.V1;
using Verify.Server.Tests.Infrastructure;
using Verify.V1;
using Xunit.Abstractions;

namespace Verify.Server.Tests.RequestLimits;

/// <summary>
/// <c>Verify:RequestLimits</c> as callers meet it: the whole application on Kestrel over h2c, two callers
/// with API keys, a real HTTP endpoint standing in for the SMS provider. Buckets refill once an hour here,
/// so what passes and what is refused is exact whatever the machine's load.
/// </summary>
public sealed class RequestLimitsGrpcTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AlphaKey = "alpha-key-0123456789";
    private const string BetaKey = "beta-key-0123456789";
    private const string UnknownId = "VEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Hourly = "01:00:00";

    private WebhookCaptureServer _sms = null!;

    public async Task InitializeAsync() => _sms = await WebhookCaptureServer.StartAsync();

    public async Task DisposeAsync()
    {
        _sms.Hold?.TrySetResult();
        await _sms.DisposeAsync();
    }

    [Fact]
    public async Task Start_BurstBeyondItsBucket_ResourceExhaustedWithRetryInfo_NothingSentOrCounted()
    {
        await using var host = await StartAsync(Bucket("PerMethod:StartVerification", 2));
        using var throttled = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Engine.Metrics.VerifyMetrics.MeterName, "verify.throttled");
        var client = new VerificationService.VerificationServiceClient(host.Channel);
        var admin = new AdminService.AdminServiceClient(host.Channel);

        await client.StartVerificationAsync(Start("+8613812340001"), Bearer(AlphaKey));
        await client.StartVerificationAsync(Start("+8613812340002"), Bearer(AlphaKey));
        var error = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(Start("+8613812340003"), Bearer(AlphaKey)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var status = error.GetRpcStatus()!;
        // From the lease: one token comes back after a whole replenishment period.
        Assert.Equal(TimeSpan.FromHours(1), status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        var info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal("REQUEST_RATE_LIMITED", info.Reason);
        Assert.Equal("verify.v1", info.Domain);
        Assert.Equal("request_rate:method", info.Metadata["limit"]);
        Assert.Equal("alpha", info.Metadata["caller"]);
        Assert.Equal("StartVerification", info.Metadata["method"]);
        Assert.Equal("request_rate:method", Assert.Single(status.GetDetail<QuotaFailure>()!.Violations).Subject);
        Assert.Equal(2, _sms.Requests.Count);
        Assert.Contains("audit start caller=alpha purpose=- phone=- ip=- verification=- outcome=throttled:requests", host.AuditLines);
        Assert.Equal("requests", Assert.Single(throttled.GetMeasurementSnapshot()).Tags["subject"]);

        var refusedNumber = await admin.GetCountersAsync(new GetCountersRequest { Subject = new Subject { PhoneNumber = "+8613812340003" } }, Bearer(AlphaKey));
        var sentNumber = await admin.GetCountersAsync(new GetCountersRequest { Subject = new Subject { PhoneNumber = "+8613812340002" } }, Bearer(AlphaKey));
        Assert.All(refusedNumber.Counters.Where(c => c.Counter == "number").SelectMany(c => c.Windows), window => Assert.Equal(0, window.Used));
        Assert.Contains(sentNumber.Counters.Where(c => c.Counter == "number").SelectMany(c => c.Windows), window => window.Used == 1);
    }

    [Fact]
    public async Task MethodBucket_Exhausted_OtherMethodsOfTheCaller_StillServed_HealthNeverLimited()
    {
        await using var host = await StartAsync(Bucket("PerMethod:StartVerification", 1));
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        await client.StartVerificationAsync(Start("+8613812340001"), Bearer(AlphaKey));
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(Start("+8613812340002"), Bearer(AlphaKey)).ResponseAsync);
        var get = await Assert.ThrowsAsync<RpcException>(() => client.GetVerificationAsync(new GetVerificationRequest { VerificationId = UnknownId }, Bearer(AlphaKey)).ResponseAsync);
        var check = await Assert.ThrowsAsync<RpcException>(() => client.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = UnknownId, Code = "123456" }, Bearer(AlphaKey)).ResponseAsync);
        var health = new Grpc.Health.V1.Health.HealthClient(host.Channel);
        var probes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest()).ResponseAsync));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(StatusCode.NotFound, get.StatusCode);
        Assert.Equal(StatusCode.NotFound, check.StatusCode);
        Assert.Equal(20, probes.Length);
    }

    [Fact]
    public async Task OneCallerOverItsBucket_AnotherCaller_Served()
    {
        await using var host = await StartAsync(Bucket("PerCaller", 3));
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var alpha = await Outcomes(Enumerable.Range(0, 5).Select(_ => Get(client, AlphaKey)));
        var beta = await Outcomes(Enumerable.Range(0, 3).Select(_ => Get(client, BetaKey)));

        Assert.Equal([StatusCode.NotFound, StatusCode.NotFound, StatusCode.NotFound, StatusCode.ResourceExhausted, StatusCode.ResourceExhausted], alpha);
        Assert.Equal([StatusCode.NotFound, StatusCode.NotFound, StatusCode.NotFound], beta);
    }

    [Fact]
    public async Task Reload_ChangesTheLimitWithoutRestart_AnInvalidChange_RefusedAndTheLastGoodStays()
    {
        await using var host = await StartAsync(Bucket("PerCaller", 2));
        var client = new VerificationService.VerificationServiceClient(host.Channel);
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
        var before = await Outcomes(Enumerable.Range(0, 3).Select(_ => Get(client, AlphaKey)));

        configuration["Verify:RequestLimits:PerCaller:TokenLimit"] = "4";
        configuration.Reload();
        var afterReload = await Outcomes(Enumerable.Range(0, 5).Select(_ => Get(client, AlphaKey)));
        configuration["Verify:RequestLimits:PerCaller:TokenLimit"] = "0";
        configuration.Reload();
        var afterInvalid = await Outcomes(Enumerable.Range(0, 2).Select(_ => Get(client, AlphaKey)));

        var refused = StatusCode.ResourceExhausted;
        var served = StatusCode.NotFound;
        Assert.Equal([served, served, refused], before);
        Assert.Equal([served, served, served, served, refused], afterReload);
        // Had the invalid change applied, or the limits been rebuilt, these would not both be refused.
        Assert.Equal([refused, refused], afterInvalid);
        Assert.Contains(host.Logs, l => l.Message.Contains("request_limits", StringComparison.Ordinal)
            && l.Message.Contains("Verify:RequestLimits:PerCaller:TokenLimit: must be 1 to 1000000 calls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrency_OneCallMoreThanTheLimitInFlight_Refused_ServedAgainOnceOneEnds()
    {
        await using var host = await StartAsync(new() { ["Verify:RequestLimits:ConcurrencyLimit"] = "2" });
        var client = new VerificationService.VerificationServiceClient(host.Channel);
        _sms.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var held = new[] { "+8613812340001", "+8613812340002" }.Select(n => client.StartVerificationAsync(Start(n), Bearer(AlphaKey), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync).ToList();
        await WaitUntil(() => _sms.Requests.Count == 2);
        var third = await Assert.ThrowsAsync<RpcException>(() => Get(client, AlphaKey));
        var otherCaller = await Assert.ThrowsAsync<RpcException>(() => Get(client, BetaKey));
        _sms.Hold.SetResult();
        var started = await Task.WhenAll(held);
        var afterwards = await Assert.ThrowsAsync<RpcException>(() => Get(client, AlphaKey));

        Assert.Equal(StatusCode.ResourceExhausted, third.StatusCode);
        var info = third.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal("request_rate:concurrency", info.Metadata["limit"]);
        Assert.Equal(TimeSpan.FromSeconds(1), third.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        Assert.Equal(StatusCode.NotFound, otherCaller.StatusCode);
        Assert.All(started, s => Assert.False(string.IsNullOrEmpty(s.Verification.Id)));
        Assert.Equal(StatusCode.NotFound, afterwards.StatusCode);
    }

    /// <summary>
    /// A load test, bounded in calls: caller A floods checks on its own connection while caller B keeps making
    /// gets and checks on another. A is served exactly its bucket and refused the rest; B is served every call.
    /// B's latency is written to the test output, not asserted: a loaded CI machine says nothing by it.
    /// </summary>
    [Fact]
    public async Task Load_FloodOfChecksFromOneCaller_DoesNotStarveAnother()
    {
        const int Flood = 3000;
        const int FloodParallel = 64;
        const int Bystander = 200;
        await using var host = await StartAsync(Bucket("PerCaller", 250));
        using var channelA = GrpcChannel.ForAddress(host.Address);
        using var channelB = GrpcChannel.ForAddress(host.Address);
        var a = new VerificationService.VerificationServiceClient(channelA);
        var b = new VerificationService.VerificationServiceClient(channelB);
        var clock = Stopwatch.StartNew();

        var next = -1;
        var floodOutcomes = new List<StatusCode>[FloodParallel];
        var flood = Enumerable.Range(0, FloodParallel).Select(worker => Task.Run(async () =>
        {
            floodOutcomes[worker] = [];
            while (Interlocked.Increment(ref next) < Flood)
            {
                floodOutcomes[worker].Add(await Outcome(Check(a, AlphaKey)));
            }
        })).ToArray();
        var latencies = new List<double>();
        var bystanderOutcomes = new List<StatusCode>();
        for (var i = 0; i < Bystander; i++)
        {
            var call = Stopwatch.StartNew();
            bystanderOutcomes.Add(await Outcome(i % 2 == 0 ? Get(b, BetaKey) : Check(b, BetaKey)));
            latencies.Add(call.Elapsed.TotalMilliseconds);
        }

        await Task.WhenAll(flood);
        var floodCounts = floodOutcomes.SelectMany(o => o).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        latencies.Sort();
        output.WriteLine($"A: {string.Join(", ", floodCounts.Select(c => $"{c.Key} {c.Value}"))}; B: {bystanderOutcomes.Count} calls, " +
            $"p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {latencies[latencies.Count * 99 / 100]:0.0} ms; {clock.Elapsed.TotalSeconds:0.0} s in all");

        Assert.Equal(new Dictionary<StatusCode, int> { [StatusCode.NotFound] = 250, [StatusCode.ResourceExhausted] = Flood - 250 }, floodCounts);
        Assert.All(bystanderOutcomes, o => Assert.Equal(StatusCode.NotFound, o));
    }

    private Task<VerifyGrpcHost> StartAsync(Dictionary<string, string?> limits)
    {
        var settings = new Dictionary<string, string?>(limits)
        {
            ["Verify:Delivery:Webhook:Url"] = _sms.Url.ToString(),

            // The request limits alone: a flood of checks without client_ip would also meet the wrong codes per IP.
            ["Verify:Limits:WrongCodesPerIp"] = string.Empty,
            ["Verify:Authentication:Enabled"] = "true",
            ["Verify:Callers:alpha:ApiKeyHashes:0"] = Hash(AlphaKey),
            ["Verify:Callers:alpha:Purposes:0"] = "*",
            ["Verify:Callers:alpha:Operations:0"] = "*",
            ["Verify:Callers:alpha:Admin"] = "true",
            ["Verify:Callers:beta:ApiKeyHashes:0"] = Hash(BetaKey),
            ["Verify:Callers:beta:Purposes:0"] = "*",
            ["Verify:Callers:beta:Operations:0"] = "*",
        };
        return VerifyGrpcHost.StartAsync(settings);
    }

    /// <summary>A bucket of <paramref name="tokens"/> calls that refills by one an hour: none within a test.</summary>
    private static Dictionary<string, string?> Bucket(string key, int tokens) => new()
    {
        [$"Verify:RequestLimits:{key}:TokenLimit"] = tokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Verify:RequestLimits:{key}:TokensPerPeriod"] = "1",
        [$"Verify:RequestLimits:{key}:ReplenishmentPeriod"] = Hourly,
    };

    private static StartVerificationRequest Start(string phone) => new() { PhoneNumber = phone, Purpose = "login" };

    private static Task<Verify.V1.Verification> Get(VerificationService.VerificationServiceClient client, string key) =>
        client.GetVerificationAsync(new GetVerificationRequest { VerificationId = UnknownId }, Bearer(key), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;

    private static Task<CheckVerificationResponse> Check(VerificationService.VerificationServiceClient client, string key) =>
        client.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = UnknownId, Code = "123456" }, Bearer(key), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;

    /// <summary>The status each call ended with, one call after another.</summary>
    private static async Task<List<StatusCode>> Outcomes(IEnumerable<Task> calls)
    {
        var outcomes = new List<StatusCode>();
        foreach (var call in calls)
        {
            outcomes.Add(await Outcome(call));
        }

        return outcomes;
    }

    private static async Task<StatusCode> Outcome(Task call)
    {
        try
        {
            await call;
            return StatusCode.OK;
        }
        catch (RpcException exception)
        {
            return exception.StatusCode;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting");
            await Task.Delay(10);
        }
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };
}
