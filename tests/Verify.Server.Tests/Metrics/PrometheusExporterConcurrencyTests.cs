using System.Diagnostics.Metrics;
using System.Globalization;
using Verify.Server.Metrics;

namespace Verify.Server.Tests.Metrics;

/// <summary>Recording from many threads while scraping: nothing lost, and every scrape a consistent picture.</summary>
public sealed class PrometheusExporterConcurrencyTests : IDisposable
{
    private const int Threads = 8;
    private const int PerThread = 10_000;

    private readonly Meter _meter = new($"Verify.Tests.{Guid.NewGuid():N}");
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterConcurrencyTests() => _exporter = new PrometheusExporter(_meter.Name);

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public async Task Render_EightThreadsAddingWhileScraping_ExactTotalsAndNeverDecreasing()
    {
        var counter = _meter.CreateCounter<long>("c");
        var floating = _meter.CreateCounter<double>("f");

        var scrapes = await RunWhileScraping(thread =>
        {
            // Two series shared by all threads (the contended path), one per thread (the adding path).
            var own = thread.ToString(CultureInfo.InvariantCulture);
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("k", "shared"));
                counter.Add(1, new KeyValuePair<string, object?>("k", own));
                floating.Add(0.5);
            }
        });

        var text = _exporter.Render();
        Assert.Equal(Threads * PerThread, Value(text, "c_total{k=\"shared\"}"));
        Assert.Equal(Threads * PerThread / 2.0, Value(text, "f_total"));
        for (var thread = 0; thread < Threads; thread++)
        {
            Assert.Equal(PerThread, Value(text, $"c_total{{k=\"{thread}\"}}"));
        }

        var seen = scrapes.Select(s => Value(s, "c_total{k=\"shared\"}")).ToList();
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Render_EightThreadsObservingWhileScraping_ExactCountAndBucketsAlwaysMatchCount()
    {
        var histogram = _meter.CreateHistogram<double>("h", "s");

        var scrapes = await RunWhileScraping(thread =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                // 0.25 and 2: exact in binary, so the sum is exact too; one falls in le=0.25, the other past 1.
                histogram.Record(i % 2 == 0 ? 0.25 : 2, new KeyValuePair<string, object?>("operation", "check"));
            }
        });

        var text = _exporter.Render();
        Assert.Equal(Threads * PerThread, Value(text, "h_seconds_count{operation=\"check\"}"));
        Assert.Equal(Threads * PerThread / 2, Value(text, "h_seconds_bucket{le=\"0.25\",operation=\"check\"}"));
        Assert.Equal(Threads * PerThread * 1.125, Value(text, "h_seconds_sum{operation=\"check\"}"));
        foreach (var scrape in scrapes.Where(s => s.Length > 0))
        {
            var count = Value(scrape, "h_seconds_count{operation=\"check\"}");
            Assert.Equal(count, Value(scrape, "h_seconds_bucket{le=\"+Inf\",operation=\"check\"}"));
            var quarters = Value(scrape, "h_seconds_bucket{le=\"0.25\",operation=\"check\"}");
            Assert.Equal((quarters * 0.25) + ((count - quarters) * 2), Value(scrape, "h_seconds_sum{operation=\"check\"}"));
        }
    }

    [Fact]
    public async Task Render_ThreadsCreatingNewTagSetsConcurrently_EverySeriesCountedOnce()
    {
        var counter = _meter.CreateCounter<long>("c");
        const int Keys = 200;

        await RunWhileScraping(_ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("k", (i % Keys).ToString(CultureInfo.InvariantCulture)));
            }
        });

        var lines = _exporter.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("c_total", StringComparison.Ordinal)).ToList();
        Assert.Equal(Keys, lines.Count);
        Assert.All(lines, line => Assert.EndsWith($" {Threads * PerThread / Keys}", line, StringComparison.Ordinal));
    }

    private static double Value(string text, string series)
    {
        var prefix = series + " ";
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>Runs the work on <see cref="Threads"/> threads started together, scraping until they finish; returns the scrapes.</summary>
    private async Task<List<string>> RunWhileScraping(Action<int> work)
    {
        using var start = new Barrier(Threads + 1);
        var workers = Enumerable.Range(0, Threads)
            .Select(thread => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(30));
                    work(thread);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();
        start.SignalAndWait(TimeSpan.FromSeconds(30));

        var all = Task.WhenAll(workers);
        var scrapes = new List<string>();

        // Bounded: the work is a fixed number of adds, and the scrape count is capped even if a worker hangs.
        while (!all.IsCompleted && scrapes.Count < 10_000)
        {
            scrapes.Add(_exporter.Render());
        }

        await all.WaitAsync(TimeSpan.FromSeconds(60));
        return scrapes;
    }
}
