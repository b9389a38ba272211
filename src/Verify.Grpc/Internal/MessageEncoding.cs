namespace Verify.Grpc.Internal;

/// <summary>The message encodings the layer speaks: identity and gzip.</summary>
internal enum MessageEncoding
{
    Identity,
    Gzip,
}
