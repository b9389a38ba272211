namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>One length-prefixed gRPC message as it travels: the compressed flag and the payload bytes.</summary>
public sealed record GrpcFrame(bool Compressed, byte[] Payload);
