using Microsoft.AspNetCore.Builder;
using Verify.Grpc.InteropHost;

namespace Verify.Benchmarks.Harness;

/// <summary>
/// Bytes allocated per in-process call of each endpoint (exact, over many calls), then the types
/// those bytes are made of for the gRPC calls (sampled). Run with DOTNET_gcServer=0.
/// </summary>
internal static class AllocationReport
{
    private const int WarmupCalls = 50_000;

    public static async Task<int> RunAsync(int calls)
    {
        await using var app = InteropHostApp.Build(mapRawBaseline: true);
        using var listener = new AllocationTickListener();
        var cases = new (string Name, InProcessCall Call)[]
        {
            ("Raw hand-written endpoint", Prepare(app, InteropHostApp.RawBaselinePath)),
            ("Verify.Grpc Empty", Prepare(app, EndpointHandlers.GrpcEmptyPath)),
            ("Verify.Grpc Empty, grpc-timeout 5S", Prepare(app, EndpointHandlers.GrpcEmptyPath, ("grpc-timeout", "5S"))),
        };

        Console.WriteLine($"{calls:N0} in-process calls each, after {WarmupCalls:N0} warm-up calls; server GC: {System.Runtime.GCSettings.IsServerGC}");
        foreach (var (name, call) in cases)
        {
            await RunAsync(call, WarmupCalls);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var synchronous = await RunAsync(call, calls);
            var perCall = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / calls;
            Console.WriteLine($"{name,-40} {perCall,8:F1} B/call{(synchronous ? string.Empty : "  (some calls completed asynchronously)")}");

            if (name.StartsWith("Verify.Grpc", StringComparison.Ordinal))
            {
                listener.Clear();
                listener.Recording = true;
                await RunAsync(call, calls);
                listener.Recording = false;
                PrintTypes(listener.BytesByType, perCall);
            }
        }

        return 0;
    }

    private static InProcessCall Prepare(WebApplication app, string path, params (string Name, string Value)[] headers)
    {
        var call = new InProcessCall(EndpointHandlers.Find(app, path), app.Services, path, GrpcFrames.Empty, headers);
        call.InvokeAsync().GetAwaiter().GetResult();
        call.EnsureAnswered(GrpcFrames.Empty);
        return call;
    }

    private static async Task<bool> RunAsync(InProcessCall call, int calls)
    {
        var synchronous = true;
        for (var i = 0; i < calls; i++)
        {
            var pending = call.InvokeAsync();
            synchronous &= call.LastCallWasSynchronous;
            await pending;
        }

        return synchronous;
    }

    private static void PrintTypes(IReadOnlyDictionary<string, long> bytesByType, double bytesPerCall)
    {
        var total = (double)bytesByType.Values.Sum();
        if (total == 0)
        {
            Console.WriteLine("    (no allocation samples)");
            return;
        }

        foreach (var (type, bytes) in bytesByType.OrderByDescending(pair => pair.Value).Take(15))
        {
            var share = bytes / total;
            Console.WriteLine($"    {share,6:P1}  ~{share * bytesPerCall,6:F0} B/call  {type}");
        }
    }
}
