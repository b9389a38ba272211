namespace Verify.Grpc;

/// <summary>
/// Thrown by a handler to end the call with a status other than OK. The trailers travel with the
/// status; rich details (google.rpc.Status) go in the <c>grpc-status-details-bin</c> trailer, see
/// <see cref="RpcStatusExtensions.ToRpcException(Google.Rpc.Status, Metadata?)"/>.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status)
        : this(status, Metadata.Empty)
    {
    }

    public RpcException(Status status, Metadata trailers)
        : base(status.ToString())
    {
        Status = status;
        Trailers = trailers;
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public Metadata Trailers { get; }
}
