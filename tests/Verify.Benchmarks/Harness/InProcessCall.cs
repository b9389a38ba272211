using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Verify.Benchmarks.Harness;

/// <summary>
/// One unary call to an endpoint's <see cref="RequestDelegate"/> without Kestrel or sockets: an HTTP/2
/// request with a complete body, a response with trailers, and request services scoped per call as
/// ASP.NET Core hosting scopes them. The context and features are reused, as Kestrel reuses them per
/// stream, so what a call allocates is what the handler allocates.
/// </summary>
internal sealed class InProcessCall
{
    private readonly RequestDelegate _handler;
    private readonly FeatureCollection _features = new();
    private readonly HttpResponseFeature _response = new();
    private readonly ResponseTrailersFeature _trailers = new();
    private readonly FixedBodyReader _body;
    private readonly CountingBodyWriter _writer = new();
    private readonly PerCallServicesFeature _services;
    private readonly DefaultHttpContext _context;

    public InProcessCall(RequestDelegate handler, IServiceProvider services, string path, byte[] body, params (string Name, string Value)[] headers)
    {
        _handler = handler;
        _body = new FixedBodyReader(body);
        var requestHeaders = new HeaderDictionary
        {
            ["content-type"] = "application/grpc",
            ["te"] = "trailers",
            ["user-agent"] = "verify-benchmarks",
        };
        foreach (var (name, value) in headers)
        {
            requestHeaders[name] = value;
        }

        _features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = HttpProtocol.Http2,
            Method = HttpMethods.Post,
            Scheme = "http",
            Path = path,
            Headers = requestHeaders,
        });
        _features.Set<IHttpResponseFeature>(_response);
        _features.Set<IHttpResponseBodyFeature>(new ResponseBodyFeature(_writer));
        _features.Set<IHttpResponseTrailersFeature>(_trailers);
        _features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(_body));
        _features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());
        _services = new PerCallServicesFeature(services.GetRequiredService<IServiceScopeFactory>());
        _features.Set<IServiceProvidersFeature>(_services);
        _context = new DefaultHttpContext(_features);
        _services.Context = _context;
    }

    /// <summary>True when the last call completed without waiting: nothing was boxed for a later continuation.</summary>
    public bool LastCallWasSynchronous { get; private set; }

    public Task InvokeAsync()
    {
        _response.StatusCode = StatusCodes.Status200OK;
        _response.Headers.Clear();
        _trailers.Trailers.Clear();
        _body.Rewind();
        _writer.Rewind();

        var call = _handler(_context);
        LastCallWasSynchronous = call.IsCompletedSuccessfully;
        return LastCallWasSynchronous ? EndCallAsync() : AwaitThenEndAsync(call);
    }

    /// <summary>Throws unless the last call answered with HTTP 200, grpc-status 0 and exactly <paramref name="expectedBody"/>.</summary>
    public void EnsureAnswered(ReadOnlySpan<byte> expectedBody)
    {
        var status = _trailers.Trailers["grpc-status"].ToString();
        if (_response.StatusCode != StatusCodes.Status200OK
            || _response.Headers.ContentType != "application/grpc"
            || status != "0"
            || _writer.BytesWritten != expectedBody.Length
            || !_writer.Head(expectedBody.Length).SequenceEqual(expectedBody))
        {
            throw new InvalidOperationException(
                $"Unexpected answer: HTTP {_response.StatusCode}, content-type '{_response.Headers.ContentType}', " +
                $"grpc-status '{status}', {_writer.BytesWritten} body bytes.");
        }
    }

    private async Task AwaitThenEndAsync(Task call)
    {
        await call.ConfigureAwait(false);
        await EndCallAsync().ConfigureAwait(false);
    }

    // Hosting disposes the request scope after the request; the next call gets a new one.
    private Task EndCallAsync()
    {
        var disposal = _services.EndCallAsync();
        return disposal.IsCompletedSuccessfully ? Task.CompletedTask : disposal.AsTask();
    }
}
