using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Verify.Benchmarks.Harness;
using Verify.Grpc.InteropHost;

namespace Verify.Benchmarks.Benchmarks;

/// <summary>
/// The per-call cost of the layer without sockets: the endpoint delegate of InteropService/Empty
/// against the hand-written empty endpoint, on the same in-memory HTTP/2 request. Each setup
/// checks that the call really answers grpc-status 0 with an empty message.
/// </summary>
[MemoryDiagnoser]
public class UnaryHandlerBenchmarks
{
    private WebApplication _app = null!;
    private InProcessCall _raw = null!;
    private InProcessCall _grpc = null!;
    private InProcessCall _grpcWithDeadline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = InteropHostApp.Build(mapRawBaseline: true);
        _raw = Prepare(InteropHostApp.RawBaselinePath);
        _grpc = Prepare(EndpointHandlers.GrpcEmptyPath);
        // Real clients usually send a deadline; it costs a timer and a linked token per call.
        _grpcWithDeadline = Prepare(EndpointHandlers.GrpcEmptyPath, ("grpc-timeout", "5S"));
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Raw hand-written endpoint")]
    public Task RawEndpoint() => _raw.InvokeAsync();

    [Benchmark(Description = "Verify.Grpc Empty")]
    public Task GrpcEmpty() => _grpc.InvokeAsync();

    [Benchmark(Description = "Verify.Grpc Empty, grpc-timeout 5S")]
    public Task GrpcEmptyWithDeadline() => _grpcWithDeadline.InvokeAsync();

    private InProcessCall Prepare(string path, params (string Name, string Value)[] headers)
    {
        var call = new InProcessCall(EndpointHandlers.Find(_app, path), _app.Services, path, GrpcFrames.Empty, headers);
        call.InvokeAsync().GetAwaiter().GetResult();
        call.EnsureAnswered(GrpcFrames.Empty);
        return call;
    }
}
