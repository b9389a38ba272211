namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>A finished call: its response (headers, trailers), the messages it carried, and its status.</summary>
public sealed record GrpcCallResult<T>(GrpcResponse Response, IReadOnlyList<T> Messages, GrpcCallStatus Status) : IDisposable
{
    /// <summary>The only message of a successful unary call.</summary>
    public T Single => Assert.Single(Messages);

    public void Dispose() => Response.Dispose();
}
