using System.Diagnostics;
using System.Diagnostics.Metrics;
using Verify.Delivery;

namespace Verify.Engine.Metrics;

/// <summary>
/// Verify's instruments, on the meter <see cref="MeterName"/>. Every distinct tag combination is a series kept for
/// the life of the process, so tag values must come from small fixed sets (configured purposes, the outcome words
/// below), never from request input: pass a fixed word such as <c>unknown</c> for a purpose that failed validation.
/// Recording allocates nothing once a series exists, and costs almost nothing while no one listens.
/// </summary>
internal sealed class VerifyMetrics : IDisposable
{
    public const string MeterName = DeliveryMetrics.MeterName;

    private const string PurposeTag = "purpose";
    private const string OutcomeTag = "outcome";
    private const string ResultTag = "result";

    private readonly Meter _meter;
    private readonly Counter<long> _starts;
    private readonly Counter<long> _checks;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _pumpingBlocks;
    private readonly Counter<long> _configReloads;
    private readonly Counter<long> _smsSent;
    private readonly Histogram<double> _storeDuration;

    public VerifyMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);

        // Units in braces are annotations: they document the count and add nothing to the Prometheus name.
        _starts = _meter.CreateCounter<long>("verify.starts", "{verification}", "Verification starts, by purpose and outcome.");
        _checks = _meter.CreateCounter<long>("verify.checks", "{check}", "Code checks, by purpose and outcome.");
        _throttled = _meter.CreateCounter<long>("verify.throttled", "{request}", "Requests refused by a rate limit, by the limit's subject and window.");
        _pumpingBlocks = _meter.CreateCounter<long>("verify.pumping.blocks", "{request}", "Starts refused by SMS pumping protection, by scope.");
        _configReloads = _meter.CreateCounter<long>("verify.config.reloads", "{reload}", "Configuration reloads, by section and whether they were accepted.");
        _smsSent = _meter.CreateCounter<long>("verify.sms.sent", "{message}", "SMS handed to a sender, by sender and result.");

        // The advice carries the buckets to the OpenTelemetry SDK, whose default buckets are in milliseconds
        // and would put every store call in the first one.
        _storeDuration = _meter.CreateHistogram<double>(
            "verify.store.duration",
            unit: "s",
            description: "Time a verification store operation took, by operation.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StoreDurationBoundaries });
    }

    /// <summary>
    /// Bucket upper bounds in seconds, 0.5 ms to 10 s (+Inf implied): 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    /// 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10.
    /// </summary>
    public static IReadOnlyList<double> StoreDurationBoundaries { get; } =
        Array.AsReadOnly([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

    /// <summary>A start request ended: <c>sent</c>, <c>replayed</c>, <c>throttled</c>, <c>send_failed</c>, <c>refused</c>, <c>unavailable</c> or <c>invalid</c>.</summary>
    public void Start(string purpose, string outcome)
    {
        var tags = new TagList { { PurposeTag, purpose }, { OutcomeTag, outcome } };
        _starts.Add(1, in tags);
    }

    /// <summary>A check ended: <c>approved</c>, <c>wrong_code</c>, <c>locked</c>, <c>burned</c>, <c>not_found</c>, <c>malformed</c>, <c>throttled</c> or <c>unavailable</c>.</summary>
    public void Check(string purpose, string outcome)
    {
        var tags = new TagList { { PurposeTag, purpose }, { OutcomeTag, outcome } };
        _checks.Add(1, in tags);
    }

    /// <summary>A rate limit refused a request; <paramref name="subject"/> names limit and window, e.g. <c>phone:1h</c>, <c>ip:1h</c>, <c>prefix:pumping</c>.</summary>
    public void Throttled(string subject)
    {
        var tags = new TagList { { "subject", subject } };
        _throttled.Add(1, in tags);
    }

    /// <summary>Pumping protection refused a start; <paramref name="scope"/> is <c>prefix</c> or <c>country</c>.</summary>
    public void PumpingBlock(string scope)
    {
        var tags = new TagList { { "scope", scope } };
        _pumpingBlocks.Add(1, in tags);
    }

    /// <summary>A configuration section (<c>policies</c>, <c>callers</c>, <c>limits</c>...) was reloaded: result <c>accepted</c> or <c>refused</c>.</summary>
    public void ConfigReload(string section, bool accepted)
    {
        var tags = new TagList { { "section", section }, { ResultTag, accepted ? "accepted" : "refused" } };
        _configReloads.Add(1, in tags);
    }

    /// <summary>A sender took (<c>ok</c>) or failed (<c>failed</c>) an SMS.</summary>
    public void SmsSent(string sender, bool ok)
    {
        var tags = new TagList { { "sender", sender }, { ResultTag, ok ? "ok" : "failed" } };
        _smsSent.Add(1, in tags);
    }

    /// <summary>A store operation (<c>start</c>, <c>check</c>, <c>get</c>, <c>cancel</c>) took <paramref name="elapsed"/>; recorded in seconds.</summary>
    public void StoreDuration(string operation, TimeSpan elapsed)
    {
        var tags = new TagList { { "operation", operation } };
        _storeDuration.Record(elapsed.TotalSeconds, in tags);
    }

    // A meter from IMeterFactory belongs to the factory and ignores Dispose (the factory disposes it with the
    // service provider); the call stays so a meter created any other way is released too.
    /// <summary>
    /// A start or check as its audit line tells it (operation, purpose or "-", outcome or null for an
    /// error), in the fixed outcome words above; other operations are not counted.
    /// </summary>
    public void Record(string operation, string purpose, string? outcome)
    {
        purpose = purpose == "-" ? "unknown" : purpose;
        outcome ??= "error";
        if (outcome.StartsWith("throttled:", StringComparison.Ordinal))
        {
            Throttled(outcome["throttled:".Length..]);
            outcome = "throttled";
        }

        outcome = outcome switch
        {
            "malformed_code" => "malformed",
            "country_not_allowed" or "line_type_not_allowed" or "unauthenticated" or "permissiondenied" => "refused",
            "invalidargument" => "invalid",
            _ => outcome,
        };
        switch (operation)
        {
            case "start":
                Start(purpose, outcome);
                break;
            case "check":
                Check(purpose, outcome);
                break;
        }
    }

    public void Dispose() => _meter.Dispose();
}
