namespace Verify.Grpc;

/// <summary>Reads request messages of a client-streaming or bidirectional call.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false once the client has half-closed.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}
