using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StackExchange.Redis;

namespace Verify.Benchmarks.Reference;

/// <summary>
/// The references on the stack Verify is served by (Grpc.AspNetCore on Kestrel, h2c, Production defaults, logging
/// at Warning like the benchmarked builds), so a ratio to them measures Verify's own work and not a different stack.
/// </summary>
internal static class ReferenceHost
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var port = (int)arguments.Long("port", min: 1, max: 65535);
        var redis = arguments.String("redis");
        arguments.EnsureAllRead();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        builder.Services.AddSingleton<FloorScript>();

        await using var app = builder.Build();
        app.MapGrpcService<ReferenceService>();

        // What the process spent so far, read before and after a run to put a cost on each call (tests/perf/h2load.sh).
        app.MapGet("/_perf/process", () => string.Create(CultureInfo.InvariantCulture,
            $"allocated_bytes={GC.GetTotalAllocatedBytes(precise: true)} cpu_ms={(long)Environment.CpuUsage.TotalTime.TotalMilliseconds}"));

        // Connect and load the script before the first call, so no call pays for it.
        await app.Services.GetRequiredService<FloorScript>().LoadAsync();
        await app.StartAsync();
        Console.WriteLine($"LISTENING {port}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
