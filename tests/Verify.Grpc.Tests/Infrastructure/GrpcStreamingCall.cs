using Google.Protobuf;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>
/// A call whose request messages are sent one by one. The response headers of a streaming call may
/// only come with the first response message, so the response is a task the test awaits after sending.
/// </summary>
public sealed class GrpcStreamingCall : IDisposable
{
    private readonly StreamingRequestContent _content;
    private readonly bool _compress;

    public GrpcStreamingCall(StreamingRequestContent content, Task<GrpcResponse> response, bool compress)
    {
        _content = content;
        _compress = compress;
        Response = response;
    }

    public Task<GrpcResponse> Response { get; }

    public ValueTask SendAsync(IMessage message, CancellationToken cancellationToken = default) =>
        _content.WriteAsync(GrpcFraming.Frame(message, _compress), cancellationToken);

    public ValueTask SendRawAsync(byte[] bytes, CancellationToken cancellationToken = default) =>
        _content.WriteAsync(bytes, cancellationToken);

    /// <summary>Half-closes the request (END_STREAM).</summary>
    public void CompleteRequest() => _content.Complete();

    public void Dispose()
    {
        _content.Complete();
        if (Response.IsCompletedSuccessfully)
        {
            Response.Result.Dispose();
        }

        _content.Dispose();
    }
}
