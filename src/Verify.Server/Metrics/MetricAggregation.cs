namespace Verify.Server.Metrics;

/// <summary>How the measurements of a series combine into the value a scrape shows.</summary>
internal enum MetricAggregation
{
    /// <summary>Deltas added up: counters and up-down counters.</summary>
    Sum,

    /// <summary>The latest value: gauges, and observable instruments (which report their current total).</summary>
    LastValue,

    /// <summary>Counts per bucket, sum and count: histograms.</summary>
    Histogram,
}
