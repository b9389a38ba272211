using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Verify.Delivery;
using Verify.Server.Metrics;
using Verify.Engine.Metrics;

namespace Verify.Server.Tests.Metrics;

/// <summary>Each recording method gives the documented series (instrument and tags), as any exporter sees them.</summary>
public sealed class VerifyMetricsTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeasuredMetrics _measured;

    public VerifyMetricsTests()
    {
        _services = new ServiceCollection().AddVerifyMetrics().BuildServiceProvider();
        _measured = new MeasuredMetrics(_services);
    }

    public void Dispose()
    {
        _measured.Dispose();
        _services.Dispose();
    }

    private VerifyMetrics Metrics => _services.GetRequiredService<VerifyMetrics>();

    [Fact]
    public void Start_TwiceAndOnce_CountedPerPurposeAndOutcome()
    {
        Metrics.Start("login", "sent");
        Metrics.Start("login", "sent");
        Metrics.Start("signup", "throttled");

        Assert.Equal(2, _measured.Count("verify.starts", ("purpose", "login"), ("outcome", "sent")));
        Assert.Equal(1, _measured.Count("verify.starts", ("purpose", "signup"), ("outcome", "throttled")));
    }

    [Fact]
    public void Check_Recorded_CountedPerPurposeAndOutcome()
    {
        Metrics.Check("login", "wrong_code");

        Assert.Equal(1, _measured.Count("verify.checks", ("purpose", "login"), ("outcome", "wrong_code")));
    }

    [Fact]
    public void Throttled_Recorded_CountedPerSubject()
    {
        Metrics.Throttled("phone:1h");
        Metrics.Throttled("prefix:pumping");

        Assert.Equal(1, _measured.Count("verify.throttled", ("subject", "phone:1h")));
        Assert.Equal(1, _measured.Count("verify.throttled", ("subject", "prefix:pumping")));
    }

    [Fact]
    public void PumpingBlock_Recorded_CountedPerScope()
    {
        Metrics.PumpingBlock("country");

        Assert.Equal(1, _measured.Count("verify.pumping.blocks", ("scope", "country")));
    }

    [Fact]
    public void ConfigReload_AcceptedAndRefused_ResultWords()
    {
        Metrics.ConfigReload("policies", accepted: true);
        Metrics.ConfigReload("callers", accepted: false);

        Assert.Equal(1, _measured.Count("verify.config.reloads", ("section", "policies"), ("result", "accepted")));
        Assert.Equal(1, _measured.Count("verify.config.reloads", ("section", "callers"), ("result", "refused")));
    }

    [Fact]
    public void SmsSent_OkAndFailed_ResultWords()
    {
        Metrics.SmsSent("webhook", ok: true);
        Metrics.SmsSent("webhook", ok: false);

        Assert.Equal(1, _measured.Count("verify.sms.sent", ("sender", "webhook"), ("result", "ok")));
        Assert.Equal(1, _measured.Count("verify.sms.sent", ("sender", "webhook"), ("result", "failed")));
    }

    [Fact]
    public void StoreDuration_Recorded_InSeconds()
    {
        Metrics.StoreDuration("check", TimeSpan.FromMilliseconds(3));

        Assert.Equal([0.003], _measured.Values("verify.store.duration", ("operation", "check")));
    }

    [Fact]
    public void Record_AuditLines_CountedAsStartsChecksAndThrottles()
    {
        Metrics.Record("start", "login", "throttled:ip:1h");
        Metrics.Record("check", "-", "malformed_code");

        Assert.Equal(1, _measured.Count("verify.starts", ("purpose", "login"), ("outcome", "throttled")));
        Assert.Equal(1, _measured.Count("verify.throttled", ("subject", "ip:1h")));
        Assert.Equal(1, _measured.Count("verify.checks", ("purpose", "unknown"), ("outcome", "malformed")));
    }

    [Theory]
    [InlineData("country_not_allowed")]
    [InlineData("line_type_not_allowed")]
    [InlineData("permissiondenied")]
    [InlineData("unauthenticated")]
    public void Record_RefusedStart_CountedAsRefused(string outcome)
    {
        Metrics.Record("start", "login", outcome);

        Assert.Equal(1, _measured.Count("verify.starts", ("purpose", "login"), ("outcome", "refused")));
    }

    [Fact]
    public void Record_ExistingSeriesWhileTheExporterListens_AllocatesNothing()
    {
        using var services = new ServiceCollection().AddVerifyMetrics().BuildServiceProvider();
        services.GetRequiredService<MeterProvider>();
        var metrics = services.GetRequiredService<VerifyMetrics>();

        // Past tiered compilation's call counting, whose first promotions can allocate on the calling
        // thread (seen once in a full run on a busy machine): what is measured is the steady state.
        for (var i = 0; i < 2_000; i++)
        {
            RecordEach(metrics);
        }

        // Tier-1 promotions go on in the background for a while after that (the tiering delay restarts
        // whenever a busy machine compiles something new), and one can still allocate on this thread: the
        // steady state is a round of 1,000 with nothing allocated, which a per-record allocation never gives.
        var fewest = long.MaxValue;
        for (var round = 0; round < 10 && fewest > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                RecordEach(metrics);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);

        static void RecordEach(VerifyMetrics metrics)
        {
            metrics.Start("login", "sent");
            metrics.Check("login", "approved");
            metrics.Throttled("ip:1h");
            metrics.PumpingBlock("prefix");
            metrics.ConfigReload("limits", accepted: true);
            metrics.SmsSent("webhook", ok: true);
            metrics.StoreDuration("get", TimeSpan.FromMilliseconds(2));
        }
    }

    [Fact]
    public void AddVerifyMetrics_CalledTwice_OneOfEachInstrumentSet()
    {
        var services = new ServiceCollection().AddVerifyMetrics().AddVerifyMetrics();

        Assert.Single(services, d => d.ServiceType == typeof(VerifyMetrics));
        Assert.Single(services, d => d.ServiceType == typeof(DeliveryMetrics));
    }
}
