using Google.Protobuf;

namespace Verify.Grpc.Internal;

internal sealed class HttpContextStreamReader<T>(HttpContextServerCallContext call) : IAsyncStreamReader<T>
    where T : class, IMessage<T>, new()
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned a message.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
            : null;
        _current = await call.ReadStreamRequestAsync(MessageParsers<T>.Parser, linked?.Token ?? call.CancellationToken).ConfigureAwait(false);
        return _current is not null;
    }
}
