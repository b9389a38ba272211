using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Grpc;
using Verify.Grpc.Internal;
using Verify.Grpc.InteropHost;

namespace Verify.Benchmarks.Benchmarks;

/// <summary>
/// The steps a unary call takes besides framing, one by one, so the difference between the raw
/// endpoint and the layer in <see cref="UnaryHandlerBenchmarks"/> can be put down to its parts.
/// </summary>
[MemoryDiagnoser]
public class LayerPartsBenchmarks
{
    private readonly GrpcServiceOptions _options = new();
    private readonly GrpcMethodDescription _method = new(InteropService.Descriptor.FindMethodByName("Empty"));
    private WebApplication _app = null!;
    private IServiceScopeFactory _scopes = null!;
    private DefaultHttpContext _plain = null!;
    private DefaultHttpContext _withDeadline = null!;
    private DefaultHttpContext _withMetadata = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = InteropHostApp.Build();
        _scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
        _plain = Request();
        _withDeadline = Request();
        _withDeadline.Request.Headers["grpc-timeout"] = "5S";
        _withMetadata = Request();
        _withMetadata.Request.Headers["x-request-id"] = "4bf92f3577b34da6a3ce929d0e0e4736";
        _withMetadata.Request.Headers["authorization"] = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc";
        _withMetadata.Request.Headers["trace-bin"] = "AAECAwQFBgcICQoLDA0ODw";
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Gate: HTTP/2 and content-type checks")]
    public bool Gate() => GrpcRequestGate.TryEnter(_plain, NullLogger.Instance);

    [Benchmark(Description = "Call context: create, Initialize, Dispose")]
    public int CallContext() => CreateContext(_plain);

    [Benchmark(Description = "Call context with grpc-timeout 5S")]
    public int CallContextWithDeadline() => CreateContext(_withDeadline);

    [Benchmark(Description = "Request services: scope, resolve service, dispose")]
    public async Task<object> RequestServicesScope()
    {
        var feature = new RequestServicesFeature(_plain, _scopes);
        var service = feature.RequestServices.GetRequiredService<InteropService>();
        await feature.DisposeAsync();
        return service;
    }

    [Benchmark(Description = "RequestHeaders: 3 metadata entries (1 binary)")]
    public int ReadMetadata() => MetadataCodec.ReadRequestHeaders(_withMetadata.Request.Headers).Count;

    private int CreateContext(HttpContext httpContext)
    {
        using var call = new HttpContextServerCallContext(httpContext, _method, _options, NullLogger.Instance, TimeProvider.System);
        call.Initialize();
        return (int)call.ResponseEncoding;
    }

    private static DefaultHttpContext Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = HttpProtocol.Http2;
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/grpc";
        context.Request.Headers.TE = "trailers";
        context.Request.Headers.UserAgent = "verify-benchmarks";
        return context;
    }
}
