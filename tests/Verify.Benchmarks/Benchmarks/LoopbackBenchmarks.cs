using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Verify.Benchmarks.Harness;
using Verify.Grpc.InteropHost;

namespace Verify.Benchmarks.Benchmarks;

/// <summary>
/// One call at a time over loopback h2c (HttpClient with HTTP/2 prior knowledge) to the interop
/// host in this process: the latency of a whole call. Allocations are the process's, so they count
/// HttpClient's and Kestrel's as well as the layer's; the difference between the rows is the layer.
/// </summary>
[MemoryDiagnoser]
public class LoopbackBenchmarks
{
    private WebApplication _app = null!;
    private HttpMessageInvoker _client = null!;
    private Uri _raw = null!;
    private Uri _grpc = null!;

    [GlobalSetup]
    public void Setup()
    {
        _app = InteropHostApp.Build(mapRawBaseline: true);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _raw = new Uri(address, InteropHostApp.RawBaselinePath);
        _grpc = new Uri(address, EndpointHandlers.GrpcEmptyPath);
        _client = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        EnsureAnswered(_raw);
        EnsureAnswered(_grpc);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Raw hand-written endpoint, loopback h2c")]
    public async Task<int> RawEndpoint()
    {
        using var response = await CallAsync(_raw, Stream.Null);
        return (int)response.StatusCode;
    }

    [Benchmark(Description = "Verify.Grpc Empty, loopback h2c")]
    public async Task<int> GrpcEmpty()
    {
        using var response = await CallAsync(_grpc, Stream.Null);
        return (int)response.StatusCode;
    }

    private async Task<HttpResponseMessage> CallAsync(Uri uri, Stream body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcFrames.Empty),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        var response = await _client.SendAsync(request, CancellationToken.None);

        // Reading the body to its end is what makes the trailers arrive.
        await response.Content.CopyToAsync(body);
        return response;
    }

    private void EnsureAnswered(Uri uri)
    {
        using var received = new MemoryStream();
        using var response = CallAsync(uri, received).GetAwaiter().GetResult();
        var body = received.ToArray();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? string.Join(",", values) : "(none)";
        if (response.StatusCode != HttpStatusCode.OK || status != "0" || !body.AsSpan().SequenceEqual(GrpcFrames.Empty))
        {
            throw new InvalidOperationException($"{uri}: HTTP {(int)response.StatusCode}, grpc-status {status}, {body.Length} body bytes.");
        }
    }
}
