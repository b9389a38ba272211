using Google.Protobuf;
using Verify.Grpc.Internal;

namespace Verify.Grpc;

/// <summary>Rich errors: a <c>google.rpc.Status</c> carried in the <c>grpc-status-details-bin</c> trailer.</summary>
public static class RpcStatusExtensions
{
    /// <summary>
    /// An exception whose status equals <paramref name="status"/>'s code and message and whose
    /// trailers carry the whole <c>google.rpc.Status</c> (with its details such as
    /// <c>google.rpc.BadRequest</c>, <c>RetryInfo</c>, <c>QuotaFailure</c>, <c>ErrorInfo</c>,
    /// <c>PreconditionFailure</c>), as grpc-dotnet's <c>Grpc.StatusProto</c> does.
    /// </summary>
    public static RpcException ToRpcException(this Google.Rpc.Status status, Metadata? trailers = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var all = new Metadata();
        if (trailers is not null)
        {
            foreach (var entry in trailers)
            {
                all.Add(entry);
            }
        }

        all.Add(GrpcProtocolConstants.StatusDetailsTrailer, status.ToByteArray());
        return new RpcException(new Status((StatusCode)status.Code, status.Message), all);
    }

    /// <summary>The <c>google.rpc.Status</c> in the exception's trailers, or null when there is none.</summary>
    public static Google.Rpc.Status? GetRpcStatus(this RpcException exception)
    {
        var bytes = exception.Trailers.GetValueBytes(GrpcProtocolConstants.StatusDetailsTrailer);
        return bytes is null ? null : Google.Rpc.Status.Parser.ParseFrom(bytes);
    }
}
