using Google.Protobuf;

namespace Verify.Grpc.Internal;

internal sealed class HttpContextStreamWriter<T>(HttpContextServerCallContext call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteStreamMessageAsync(message, cancellationToken);
    }
}
