using System.Text;

namespace Verify.Grpc.Internal;

internal static class GrpcProtocolConstants
{
    public const string GrpcContentType = "application/grpc";
    public const string TimeoutHeader = "grpc-timeout";
    public const string MessageEncodingHeader = "grpc-encoding";
    public const string MessageAcceptEncodingHeader = "grpc-accept-encoding";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string StatusDetailsTrailer = "grpc-status-details-bin";
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";

    /// <summary>The encodings this server reads and writes, as sent in grpc-accept-encoding.</summary>
    public const string SupportedEncodings = "identity,gzip";

    public const int HeaderSize = 5;

    /// <summary>RST_STREAM CANCEL, sent when the deadline passes (PROTOCOL-HTTP2.md).</summary>
    public const int ResetStreamCancel = 0x8;

    public const string UnknownHandlerError = "Exception was thrown by handler.";

    /// <summary>Request headers that belong to the protocol, not to the caller's metadata.</summary>
    public static readonly HashSet<string> FilteredRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "te", "host", "accept-encoding", "content-length",
        TimeoutHeader, MessageEncodingHeader, MessageAcceptEncodingHeader,
    };

    /// <summary>Response metadata a handler may not set, because the layer owns it.</summary>
    public static readonly HashSet<string> ReservedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", StatusTrailer, MessageTrailer, MessageEncodingHeader, MessageAcceptEncodingHeader,
    };

    public static readonly byte[] EmptyStatusTrailerValue = Encoding.ASCII.GetBytes("0");
}
