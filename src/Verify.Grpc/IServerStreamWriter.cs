namespace Verify.Grpc;

/// <summary>Writes response messages of a server-streaming or bidirectional call.</summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Writes and flushes one message. Throws if the call has ended (deadline, cancel).</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
