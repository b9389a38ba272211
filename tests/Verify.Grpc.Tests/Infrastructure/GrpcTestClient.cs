using System.Net;
using Google.Protobuf;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>
/// A small gRPC client on HttpClient: HTTP/2 with prior knowledge over http (h2c), or ALPN over https.
/// It speaks the wire protocol directly so that tests can also send what a real client never would.
/// </summary>
public sealed class GrpcTestClient : IDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http;

    public GrpcTestClient(Uri baseAddress, SocketsHttpHandler? handler = null)
    {
        _http = new HttpClient(handler ?? CreateHandler())
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = CallTimeout,
        };
    }

    /// <summary>One connection only: calls beyond the server's stream limit wait for a free stream.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Sends a request body as is (already framed, or deliberately malformed).</summary>
    public Task<GrpcResponse> SendAsync(string path, byte[] body, GrpcCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GrpcCallOptions();
        return SendAsync(CreateRequest(path, new ByteArrayContent(body), options), cancellationToken);
    }

    /// <summary>Sends one framed message and half-closes.</summary>
    public Task<GrpcResponse> SendAsync(string path, IMessage message, GrpcCallOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(path, GrpcFraming.Frame(message, options?.CompressRequest ?? false), options, cancellationToken);

    /// <summary>A unary or server-streaming call, read to its status.</summary>
    public async Task<GrpcCallResult<TResponse>> CallAsync<TResponse>(
        string path, IMessage request, MessageParser<TResponse> parser, GrpcCallOptions? options = null, CancellationToken cancellationToken = default)
        where TResponse : class, IMessage<TResponse>
    {
        var response = await SendAsync(path, request, options, cancellationToken);
        var messages = await response.ReadAllMessagesAsync(parser, cancellationToken);
        var status = await response.ReadStatusAsync(cancellationToken);
        return new GrpcCallResult<TResponse>(response, messages, status);
    }

    /// <summary>Starts a call whose request messages the test sends one at a time.</summary>
    public GrpcStreamingCall StartStreaming(string path, GrpcCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GrpcCallOptions();
        var content = new StreamingRequestContent();
        var response = SendAsync(CreateRequest(path, content, options), cancellationToken);
        return new GrpcStreamingCall(content, response, options.CompressRequest);
    }

    public async Task<GrpcResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return await GrpcResponse.CreateAsync(response, cancellationToken);
    }

    public static HttpRequestMessage CreateRequest(string path, HttpContent content, GrpcCallOptions options)
    {
        var request = new HttpRequestMessage(options.Method, path)
        {
            Version = options.Version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new System.Net.Http.Headers.TransferCodingWithQualityHeaderValue("trailers"));
        if (options.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", options.ContentType);
        }

        var encoding = options.Encoding ?? (options.CompressRequest ? "gzip" : null);
        AddHeader(request, "grpc-encoding", encoding);
        AddHeader(request, "grpc-accept-encoding", options.AcceptEncoding);
        AddHeader(request, "grpc-timeout", options.Timeout);
        foreach (var (name, value) in options.Headers)
        {
            AddHeader(request, name, value);
        }

        return request;
    }

    public void Dispose() => _http.Dispose();

    private static void AddHeader(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null && !request.Headers.TryAddWithoutValidation(name, value))
        {
            throw new ArgumentException($"Header '{name}' was refused by HttpClient.", nameof(name));
        }
    }
}
