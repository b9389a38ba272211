using BenchmarkDotNet.Running;
using Verify.Benchmarks;
using Verify.Benchmarks.Harness;

// Usage (build with -c Release; see docs/performance.md):
//   Verify.Benchmarks [BenchmarkDotNet options, e.g. --filter '*UnaryHandler*']  the micro-benchmarks
//   Verify.Benchmarks serve [port]          the interop host with the raw baseline, for tests/perf/h2load.sh
//   Verify.Benchmarks allocations [calls]   bytes per in-process call and the types they are made of
switch (args.FirstOrDefault())
{
    case "serve":
        return await PerfHost.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
    case "allocations":
        return await AllocationReport.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    default:
        // BenchmarkDotNet writes its reports under ./BenchmarkDotNet.Artifacts; keep them out of the repository unless asked.
        var artifacts = args.Contains("--artifacts") ? "BenchmarkDotNet.Artifacts" : Path.Combine(Path.GetTempPath(), "verify-benchmarks");
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create(artifacts));
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
}
