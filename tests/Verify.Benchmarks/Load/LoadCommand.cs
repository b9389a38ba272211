using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;

namespace Verify.Benchmarks.Load;

/// <summary>
/// Warm-up, then one measured phase, then the report: a human line, and a RESULT line the script reads. A run
/// where more than 1 % of calls ended in another status than the operation's own fails (exit 3): a benchmark of
/// failing calls measures the failure path.
/// </summary>
internal static class LoadCommand
{
    private const double MaxUnexpected = 0.01;

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var address = new Uri(arguments.String("target"));
        var operation = Enum.Parse<Operation>(arguments.String("op"), ignoreCase: true);
        var open = arguments.String("mode", "closed") switch
        {
            "closed" => false,
            "open" => true,
            var other => throw new ArgumentException($"--mode is closed or open, not '{other}'"),
        };
        var concurrency = (int)arguments.Long("concurrency", 64, min: 1, max: 10_000);
        var connections = (int)arguments.Long("connections", 4, min: 1, max: 256);
        var rate = open ? arguments.Double("rate", min: 1, max: 1_000_000) : 0;
        var warmup = arguments.Seconds("warmup", 1);
        var duration = arguments.Seconds("duration", 5, min: 0.1);
        var maxCalls = arguments.Long("requests", 10_000_000, min: 1);
        var first = arguments.Long("first", 0, min: 0, max: PhoneNumbers.Capacity - 1);
        var purpose = arguments.String("purpose", "login");
        var deadline = arguments.Seconds("deadline", 5, min: 0.01, max: 60);
        var maxInFlight = (int)arguments.Long("max-in-flight", 5_000, min: 1, max: 100_000);
        var idsIn = operation == Operation.WrongCode ? arguments.String("ids") : null;
        var attemptsPerId = operation == Operation.WrongCode ? arguments.Long("attempts-per-id", 4, min: 1, max: 100) : 0;
        var idsOut = operation == Operation.Start ? arguments.String("ids-out", "") : "";
        arguments.EnsureAllRead();
        if (address is not { Scheme: "http", Host: "127.0.0.1" })
        {
            throw new ArgumentException("--target must be http://127.0.0.1:<port> (h2c on loopback)");
        }

        var apiKey = Environment.GetEnvironmentVariable("VERIFY_BENCH_API_KEY");
        if (operation is Operation.Check or Operation.Start or Operation.WrongCode && string.IsNullOrEmpty(apiKey))
        {
            throw new ArgumentException("VERIFY_BENCH_API_KEY must hold the caller's API key");
        }

        var ids = idsIn is null ? null : (await File.ReadAllLinesAsync(idsIn)).Where(line => line.Length > 0).ToList();
        var startedIds = idsOut.Length > 0 ? new ConcurrentQueue<string>() : null;
        using var target = new LoadTarget(address, operation, connections, purpose, deadline, first, apiKey, ids, startedIds);
        await target.ConnectAsync();

        // --requests bounds the whole run, warm-up included; a wrong-code run also by attempts per id, so no
        // verification reaches MaxAttempts (the run ends early, and says so, when the ids run out).
        if (operation == Operation.WrongCode)
        {
            maxCalls = Math.Min(maxCalls, target.IdCount * attemptsPerId);
        }

        Task<Measurement> Phase(TimeSpan length, long budget) => open
            ? OpenLoop.RunAsync(target, rate, length, budget, maxInFlight, deadline)
            : ClosedLoop.RunAsync(target, concurrency, length, budget);

        var warmupCalls = warmup > TimeSpan.Zero ? (await Phase(warmup, maxCalls)).Calls : 0;
        if (warmupCalls >= maxCalls)
        {
            Console.Error.WriteLine($"FAIL: the warm-up took the whole budget of {maxCalls} calls; more --ids or --requests");
            return 3;
        }

        var measured = await Phase(duration, maxCalls - warmupCalls);
        if (startedIds is not null)
        {
            await File.WriteAllLinesAsync(idsOut, startedIds);
        }
        var shape = open
            ? string.Create(CultureInfo.InvariantCulture, $"open loop at {rate:F0}/s")
            : $"closed loop, {concurrency} callers";
        return Report(operation, target, measured, warmupCalls, $"{shape} over {connections} connections", maxCalls);
    }

    /// <summary>all_calls counts the warm-up too, so CPU time read around the whole run can be divided per call.</summary>
    private static int Report(Operation operation, LoadTarget target, Measurement m, long warmupCalls, string shape, long maxCalls)
    {
        // Sent calls only (NotSent never reached the target): did the run stop on its budget before its time?
        var exhausted = warmupCalls + m.Calls - m.Status(Measurement.NotSent) >= maxCalls ? 1 : 0;
        var calls = m.Calls;
        var expected = m.Status((int)target.Expected);
        var unexpected = calls - expected;
        var statuses = string.Join(' ', Enumerable.Range(0, Measurement.OkUnexpected + 1)
            .Where(i => m.Status(i) > 0)
            .Select(i => $"{Measurement.Name(i)}={m.Status(i)}"));
        var rps = expected / m.Elapsed.TotalSeconds;
        var latency = m.Latency;
        var invariant = CultureInfo.InvariantCulture;

        Console.WriteLine(string.Create(invariant,
            $"{operation.ToString().ToLowerInvariant()}: {shape}, {m.Elapsed.TotalSeconds:F2} s: {rps:F0} answers/s as expected ({target.Expected}); " +
            $"latency p50 {latency.Percentile(0.50) / 1000.0:F2} ms, p99 {latency.Percentile(0.99) / 1000.0:F2} ms, max {latency.Max / 1000.0:F2} ms; " +
            $"statuses {statuses}; schedule lag max {m.MaxLag.TotalMilliseconds:F1} ms"));
        Console.WriteLine(string.Create(invariant,
            $"RESULT rps={rps:F1} p50_us={latency.Percentile(0.50)} p99_us={latency.Percentile(0.99)} max_us={latency.Max} " +
            $"calls={calls} all_calls={calls + warmupCalls} unexpected={unexpected} lag_ms={m.MaxLag.TotalMilliseconds:F1} last_number={target.LastNumber} budget_exhausted={exhausted}"));

        if (calls == 0 || unexpected > MaxUnexpected * calls)
        {
            Console.Error.WriteLine(string.Create(invariant,
                $"FAIL: {unexpected} of {calls} calls ({(calls == 0 ? 100 : 100.0 * unexpected / calls):F2} %) did not answer {target.Expected}: {statuses}"));
            return 3;
        }

        return 0;
    }
}
