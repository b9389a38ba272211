using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Verify.Benchmarks;

internal static class BenchmarkConfig
{
    /// <summary>
    /// A short job run in this process: no project is generated and built beside ours (parallel
    /// builds share the source tree), and a full run takes minutes. Three measured iterations give
    /// a mean with a visible error; use --job for longer runs.
    /// </summary>
    public static IConfig Create(string artifactsPath) => DefaultConfig.Instance
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithArtifactsPath(artifactsPath);
}
