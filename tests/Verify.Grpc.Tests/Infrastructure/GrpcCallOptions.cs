namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>What a test may change about a request; the defaults make a well-formed gRPC call.</summary>
public sealed class GrpcCallOptions
{
    public HttpMethod Method { get; init; } = HttpMethod.Post;

    public Version Version { get; init; } = System.Net.HttpVersion.Version20;

    /// <summary>The content-type header; null sends none.</summary>
    public string? ContentType { get; init; } = "application/grpc";

    /// <summary>Gzip the request messages (flag 1) and send <c>grpc-encoding: gzip</c>.</summary>
    public bool CompressRequest { get; init; }

    /// <summary>A <c>grpc-encoding</c> value sent as is (overrides the one <see cref="CompressRequest"/> implies).</summary>
    public string? Encoding { get; init; }

    public string? AcceptEncoding { get; init; }

    public string? Timeout { get; init; }

    /// <summary>Extra headers (metadata), sent without validation.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
