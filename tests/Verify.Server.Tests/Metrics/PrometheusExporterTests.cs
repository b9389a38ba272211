using System.Diagnostics;
using System.Diagnostics.Metrics;
using Verify.Server.Metrics;

namespace Verify.Server.Tests.Metrics;

/// <summary>The exporter against a meter of its own: a unique meter name per test, so parallel tests never see each other.</summary>
public sealed class PrometheusExporterTests : IDisposable
{
    private readonly Meter _meter = new($"Verify.Tests.{Guid.NewGuid():N}");
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests() => _exporter = new PrometheusExporter(_meter.Name);

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Render_NothingRecorded_IsEmpty()
    {
        _meter.CreateCounter<long>("verify.starts");

        Assert.Equal(string.Empty, _exporter.Render());
    }

    [Fact]
    public void Render_CounterAddedWithTwoTagSets_SumsEachTagSetApart()
    {
        var counter = _meter.CreateCounter<long>("verify.starts", "{verification}", "Verification starts.");

        counter.Add(1, Tag("purpose", "login"), Tag("outcome", "sent"));
        counter.Add(2, Tag("outcome", "sent"), Tag("purpose", "login"));
        counter.Add(5, Tag("purpose", "login"), Tag("outcome", "throttled"));

        Assert.Equal(
            """
            # HELP verify_starts_total Verification starts.
            # TYPE verify_starts_total counter
            verify_starts_total{outcome="sent",purpose="login"} 3
            verify_starts_total{outcome="throttled",purpose="login"} 5

            """.ReplaceLineEndings("\n"),
            _exporter.Render());
    }

    [Fact]
    public void Render_CounterWithoutTags_OneSeriesWithoutBraces()
    {
        _meter.CreateCounter<int>("jobs").Add(4);

        Assert.Contains("\njobs_total 4\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TagsGivenAsTagListOrArrayOrInAnyOrder_SameSeries()
    {
        var counter = _meter.CreateCounter<long>("c");
        var tags = new TagList { { "b", "2" }, { "a", "1" } };

        counter.Add(1, in tags);
        counter.Add(1, [Tag("a", "1"), Tag("b", "2")]);
        counter.Add(1, Tag("b", "2"), Tag("a", "1"));

        Assert.Contains("\nc_total{a=\"1\",b=\"2\"} 3\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LabelValueWithBackslashQuoteAndNewline_Escaped()
    {
        _meter.CreateCounter<long>("c").Add(1, Tag("path", "a\\b \"q\"\nz"));

        Assert.Contains("c_total{path=\"a\\\\b \\\"q\\\"\\nz\"} 1\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HelpWithBackslashAndNewline_EscapedButQuotesKept()
    {
        _meter.CreateCounter<long>("c", unit: null, description: "a \"b\" c\\d\ne").Add(1);

        Assert.Contains("# HELP c_total a \"b\" c\\\\d\\ne\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoDescription_NoHelpLine()
    {
        _meter.CreateCounter<long>("c").Add(1);

        Assert.Equal("# TYPE c_total counter\nc_total 1\n", _exporter.Render());
    }

    [Fact]
    public void Render_NonStringAndOddTags_TranslatedToOneStableSeries()
    {
        var counter = _meter.CreateCounter<long>("c");

        counter.Add(1, Tag("http.method", "GET"), Tag("ok", true), Tag("code", 200), Tag("empty", ""), Tag("none", null));
        counter.Add(1, Tag("code", 200), Tag("http.method", "GET"), Tag("ok", true));

        Assert.Contains("\nc_total{code=\"200\",http_method=\"GET\",ok=\"true\"} 2\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameTagTwice_LaterWinsAndNoDuplicateLabel()
    {
        _meter.CreateCounter<long>("c").Add(1, Tag("a", "first"), Tag("a", "second"));

        Assert.Contains("\nc_total{a=\"second\"} 1\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NegativeCounterDeltaAndNonFiniteValues_Ignored()
    {
        var counter = _meter.CreateCounter<double>("d");

        counter.Add(1.5);
        counter.Add(-1);
        counter.Add(double.NaN);
        counter.Add(double.PositiveInfinity);

        Assert.Contains("\nd_total 1.5\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Histogram_BucketsCumulativeWithSumAndCount()
    {
        var histogram = _meter.CreateHistogram<double>("verify.store.duration", "s", "Store time.");

        // Powers of two, so the sum is exact: 2^-11 (≤ 0.0005), 2^-10 (≤ 0.001), 0.125, 32 (+Inf only).
        histogram.Record(0.00048828125, Tag("operation", "check"));
        histogram.Record(0.0009765625, Tag("operation", "check"));
        histogram.Record(0.125, Tag("operation", "check"));
        histogram.Record(32, Tag("operation", "check"));

        Assert.Equal(
            """
            # HELP verify_store_duration_seconds Store time.
            # TYPE verify_store_duration_seconds histogram
            verify_store_duration_seconds_bucket{le="0.0005",operation="check"} 1
            verify_store_duration_seconds_bucket{le="0.001",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.0025",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.005",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.01",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.025",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.05",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.1",operation="check"} 2
            verify_store_duration_seconds_bucket{le="0.25",operation="check"} 3
            verify_store_duration_seconds_bucket{le="0.5",operation="check"} 3
            verify_store_duration_seconds_bucket{le="1",operation="check"} 3
            verify_store_duration_seconds_bucket{le="2.5",operation="check"} 3
            verify_store_duration_seconds_bucket{le="5",operation="check"} 3
            verify_store_duration_seconds_bucket{le="10",operation="check"} 3
            verify_store_duration_seconds_bucket{le="+Inf",operation="check"} 4
            verify_store_duration_seconds_sum{operation="check"} 32.12646484375
            verify_store_duration_seconds_count{operation="check"} 4

            """.ReplaceLineEndings("\n"),
            _exporter.Render());
    }

    [Fact]
    public void Render_HistogramWithAdvice_UsesTheAdvisedBucketsUpperInclusive()
    {
        var histogram = _meter.CreateHistogram<long>("size", "By", null, null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100] });

        histogram.Record(10);
        histogram.Record(50);

        Assert.Equal(
            """
            # TYPE size_bytes histogram
            size_bytes_bucket{le="10"} 1
            size_bytes_bucket{le="100"} 2
            size_bytes_bucket{le="+Inf"} 2
            size_bytes_sum 60
            size_bytes_count 2

            """.ReplaceLineEndings("\n"),
            _exporter.Render());
    }

    [Fact]
    public void Render_HistogramTagNamedLe_RenamedSoBucketsStayValid()
    {
        _meter.CreateHistogram<double>("h").Record(1, Tag("le", "x"));

        var text = _exporter.Render();

        Assert.Contains("h_bucket{key_le=\"x\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("h_count{key_le=\"x\"} 1\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify.starts", "{verification}", "counter", "verify_starts_total")]
    [InlineData("verify.store.duration", "s", "histogram", "verify_store_duration_seconds")]
    [InlineData("requests.total", "s", "counter", "requests_seconds_total")]
    [InlineData("queue.size", "1", "gauge", "queue_size_ratio")]
    [InlineData("queue.size", "1", "counter", "queue_size_total")]
    [InlineData("payload", "KiBy", "gauge", "payload_kibibytes")]
    [InlineData("speed", "m/s", "gauge", "speed_meters_per_second")]
    [InlineData("rate", "{request}/s", "gauge", "rate_per_second")]
    [InlineData("latency_seconds", "s", "histogram", "latency_seconds")]
    [InlineData("http-server..active", null, "gauge", "http_server_active")]
    [InlineData("2fa.sent", null, "counter", "_2fa_sent_total")]
    [InlineData("ns:thing", "widgets", "gauge", "ns:thing_widgets")]
    public void MetricName_OpenTelemetryName_TranslatedToPrometheus(string name, string? unit, string type, string expected) =>
        Assert.Equal(expected, PrometheusFormat.MetricName(name, unit, type));

    [Fact]
    public void Render_KindsOfInstruments_RightTypeAndValue()
    {
        var upDown = _meter.CreateUpDownCounter<long>("verify.inflight");
        var gauge = _meter.CreateGauge<double>("verify.temperature", "Cel");
        _meter.CreateObservableGauge("verify.keys", () => new Measurement<int>(3, Tag("state", "active")));
        _meter.CreateObservableCounter("verify.uptime", () => 12.5, "s");
        _meter.CreateObservableUpDownCounter("verify.queue", () => -2L);

        upDown.Add(5);
        upDown.Add(-7);
        gauge.Record(21.5);
        gauge.Record(19.25);

        var text = _exporter.Render();

        Assert.Contains("# TYPE verify_inflight gauge\nverify_inflight -2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE verify_temperature_celsius gauge\nverify_temperature_celsius 19.25\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE verify_keys gauge\nverify_keys{state=\"active\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE verify_uptime_seconds_total counter\nverify_uptime_seconds_total 12.5\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE verify_queue gauge\nverify_queue -2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ObservableStopsReportingASeries_SeriesGone()
    {
        var report = true;
        _meter.CreateObservableGauge("g", () => report ? [new Measurement<int>(1, Tag("k", "a"))] : Array.Empty<Measurement<int>>());

        Assert.Contains("g{k=\"a\"} 1", _exporter.Render(), StringComparison.Ordinal);
        report = false;
        Assert.Equal(string.Empty, _exporter.Render());
    }

    [Fact]
    public void Render_InstrumentsRecordedInAnyOrder_MetricsAndSeriesSortedAndStable()
    {
        var zebra = _meter.CreateCounter<long>("zebra");
        var alpha = _meter.CreateCounter<long>("alpha");
        zebra.Add(1, Tag("k", "b"));
        alpha.Add(1, Tag("k", "z"));
        zebra.Add(1, Tag("k", "a"));
        alpha.Add(1, Tag("j", "z"));
        alpha.Add(1, Tag("k", "a"), Tag("j", "a"));

        var first = _exporter.Render();

        Assert.Equal(
            """
            # TYPE alpha_total counter
            alpha_total{j="a",k="a"} 1
            alpha_total{j="z"} 1
            alpha_total{k="z"} 1
            # TYPE zebra_total counter
            zebra_total{k="a"} 1
            zebra_total{k="b"} 1

            """.ReplaceLineEndings("\n"),
            first);
        Assert.Equal(first, _exporter.Render());
    }

    [Fact]
    public void Render_TwoInstrumentsOneName_SumIntoOneMetricAndAConflictingKindIsLeftOut()
    {
        using var sibling = new Meter(_meter.Name, "2.0");
        _meter.CreateCounter<long>("c").Add(1, Tag("k", "v"));
        sibling.CreateCounter<int>("c").Add(2, Tag("k", "v"));
        sibling.CreateObservableGauge("c_total", () => 99);

        var text = _exporter.Render();

        Assert.Equal("# TYPE c_total counter\nc_total{k=\"v\"} 3\n", text);
    }

    [Fact]
    public void Render_OtherMeterName_NotExported()
    {
        using var other = new Meter(_meter.Name + ".other");
        other.CreateCounter<long>("c").Add(1);

        Assert.Equal(string.Empty, _exporter.Render());
    }

    [Fact]
    public void Render_InstrumentCreatedBeforeTheExporter_Exported()
    {
        using var meter = new Meter($"Verify.Tests.{Guid.NewGuid():N}");
        var counter = meter.CreateCounter<long>("early");
        using var exporter = new PrometheusExporter(meter.Name);

        counter.Add(7);

        Assert.Contains("early_total 7", exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MoreTagSetsThanTheLimit_RestGoToOneOverflowSeries()
    {
        using var meter = new Meter($"Verify.Tests.{Guid.NewGuid():N}");
        using var exporter = new PrometheusExporter(meter.Name, maxSeriesPerMetric: 3);
        var counter = meter.CreateCounter<long>("c");

        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, Tag("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        counter.Add(1, Tag("id", "0"));
        var lines = exporter.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            ["# TYPE c_total counter", "c_total{id=\"0\"} 2", "c_total{id=\"1\"} 1", "c_total{id=\"2\"} 1", "c_total{otel_metric_overflow=\"true\"} 7"],
            lines);
    }

    [Fact]
    public void Render_DisposedExporter_StopsListening()
    {
        var counter = _meter.CreateCounter<long>("c");
        counter.Add(1);
        _exporter.Dispose();

        counter.Add(1);

        Assert.Contains("c_total 1\n", _exporter.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_WriterWithCrLfNewLine_LinesStillEndInLf()
    {
        _meter.CreateCounter<long>("c").Add(1);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\r\n" };

        _exporter.WriteTo(writer);

        Assert.DoesNotContain('\r', writer.ToString());
    }

    [Fact]
    public void Constructor_BoundariesNotIncreasing_Throws() =>
        Assert.Throws<ArgumentException>(() => new PrometheusExporter("x", histogramBoundaries: [1, 1]));

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
