using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Verify.Grpc.InteropHost;

namespace Verify.Benchmarks.Harness;

/// <summary>
/// The interop host with the raw baseline endpoint, as tests/perf/h2load.sh drives it, plus
/// <c>GET /_perf/process</c>: the bytes this process has allocated and the CPU time it has used so
/// far, so the script can divide what one h2load run cost the server by the calls it made.
/// </summary>
internal static class PerfHost
{
    public const string ProcessPath = "/_perf/process";

    public static async Task<int> RunAsync(int port)
    {
        var app = InteropHostApp.Build(port, mapRawBaseline: true);
        app.MapGet(ProcessPath, (RequestDelegate)(context => context.Response.WriteAsync(Describe())));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"LISTENING {new Uri(address).Port}");
        Console.WriteLine($"GC server={System.Runtime.GCSettings.IsServerGC} cores={Environment.ProcessorCount}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"allocated_bytes={GC.GetTotalAllocatedBytes(precise: true)} cpu_ms={Environment.CpuUsage.TotalTime.TotalMilliseconds:F0} " +
        $"gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)}\n");
}
