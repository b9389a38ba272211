using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Verify.Server.Metrics;

namespace Verify.Server.Tests.Metrics;

/// <summary>
/// Each recording method gives the documented series. A service provider per test: the exporter takes only the
/// meters of its own provider's factory, so tests running in parallel, all on a meter named Verify, stay apart.
/// </summary>
public sealed class VerifyMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddVerifyMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private VerifyMetrics Metrics => _services.GetRequiredService<VerifyMetrics>();

    private string Render() => _services.GetRequiredService<PrometheusExporter>().Render();

    [Fact]
    public void Start_TwiceAndOnce_CountedPerPurposeAndOutcome()
    {
        Metrics.Start("login", "sent");
        Metrics.Start("login", "sent");
        Metrics.Start("signup", "throttled");

        var text = Render();

        Assert.Contains("# HELP verify_starts_total Verification starts, by purpose and outcome.\n# TYPE verify_starts_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_starts_total{outcome=\"sent\",purpose=\"login\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_starts_total{outcome=\"throttled\",purpose=\"signup\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Recorded_CountedPerPurposeAndOutcome()
    {
        Metrics.Check("login", "wrong_code");

        Assert.Contains("verify_checks_total{outcome=\"wrong_code\",purpose=\"login\"} 1\n", Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Throttled_Recorded_CountedPerSubject()
    {
        Metrics.Throttled("phone:1h");
        Metrics.Throttled("prefix:pumping");

        var text = Render();

        Assert.Contains("verify_throttled_total{subject=\"phone:1h\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_throttled_total{subject=\"prefix:pumping\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PumpingBlock_Recorded_CountedPerScope()
    {
        Metrics.PumpingBlock("country");

        Assert.Contains("verify_pumping_blocks_total{scope=\"country\"} 1\n", Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigReload_AcceptedAndRefused_ResultWords()
    {
        Metrics.ConfigReload("policies", accepted: true);
        Metrics.ConfigReload("callers", accepted: false);

        var text = Render();

        Assert.Contains("verify_config_reloads_total{result=\"accepted\",section=\"policies\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_config_reloads_total{result=\"refused\",section=\"callers\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SmsSent_OkAndFailed_ResultWords()
    {
        Metrics.SmsSent("webhook", ok: true);
        Metrics.SmsSent("webhook", ok: false);

        var text = Render();

        Assert.Contains("verify_sms_sent_total{result=\"failed\",sender=\"webhook\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_sms_sent_total{result=\"ok\",sender=\"webhook\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreDuration_Recorded_SecondsHistogram()
    {
        Metrics.StoreDuration("check", TimeSpan.FromMilliseconds(3));

        var text = Render();

        Assert.Contains("# TYPE verify_store_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_store_duration_seconds_bucket{le=\"0.0025\",operation=\"check\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_store_duration_seconds_bucket{le=\"0.005\",operation=\"check\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_store_duration_seconds_bucket{le=\"+Inf\",operation=\"check\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_store_duration_seconds_sum{operation=\"check\"} 0.003\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_store_duration_seconds_count{operation=\"check\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_ExistingSeries_AllocatesNothing()
    {
        var metrics = Metrics;
        RecordEach(metrics);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            RecordEach(metrics);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains("verify_starts_total{outcome=\"sent\",purpose=\"login\"} 1001\n", Render(), StringComparison.Ordinal);

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
    public void Render_AnotherProvidersVerifyMeter_NotMixedIn()
    {
        using var other = new ServiceCollection().AddVerifyMetrics().BuildServiceProvider();
        other.GetRequiredService<VerifyMetrics>().Start("login", "sent");
        using var unscoped = new Meter(VerifyMetrics.MeterName);
        unscoped.CreateCounter<long>("verify.starts").Add(1);

        Assert.Equal(string.Empty, Render());
    }

    [Fact]
    public void AddVerifyMetrics_CalledTwice_OneExporterAndOneHostedService()
    {
        var services = new ServiceCollection().AddVerifyMetrics().AddVerifyMetrics();

        Assert.Single(services, d => d.ServiceType == typeof(PrometheusExporter));
        Assert.Single(services, d => d.ServiceType == typeof(VerifyMetrics));
        Assert.Single(services, d => d.ImplementationType == typeof(PrometheusExporterActivator));
    }
}
