namespace Verify.Grpc;

/// <summary>Options of the gRPC layer, shared by every mapped service.</summary>
public sealed class GrpcServiceOptions
{
    /// <summary>
    /// The largest request message accepted, in bytes, after decompression; a larger one ends the
    /// call with RESOURCE_EXHAUSTED before it is buffered. Defaults to 4,194,304 (4 MiB); null
    /// means no limit.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest response message sent, in bytes; a larger one ends the call with
    /// RESOURCE_EXHAUSTED. Defaults to null (no limit).
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Whether a handler's unexpected exception text reaches the client in <c>grpc-message</c>.
    /// Defaults to false: the client reads only "Exception was thrown by handler.".
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// The encoding for responses to clients that accept it (<c>gzip</c>), even when the request was
    /// not compressed. Defaults to null: responses are compressed only when the request was, with
    /// the same encoding, as grpc-go does.
    /// </summary>
    public string? ResponseCompressionAlgorithm { get; set; }
}
