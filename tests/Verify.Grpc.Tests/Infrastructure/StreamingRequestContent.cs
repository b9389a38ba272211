using System.Net;
using System.Threading.Channels;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>
/// A request body written on demand: each chunk is sent and flushed when the test writes it, and the
/// request half-closes only on <see cref="Complete"/>, so a test can interleave sends and reads.
/// </summary>
public sealed class StreamingRequestContent : HttpContent
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();

    public ValueTask WriteAsync(byte[] chunk, CancellationToken cancellationToken = default) =>
        _chunks.Writer.WriteAsync(chunk, cancellationToken);

    public void Complete() => _chunks.Writer.TryComplete();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await foreach (var chunk in _chunks.Reader.ReadAllAsync(cancellationToken))
        {
            await stream.WriteAsync(chunk, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
