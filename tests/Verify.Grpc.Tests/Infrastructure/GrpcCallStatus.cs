namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>The end of a call as a client reads it: grpc-status, the decoded grpc-message, and any google.rpc.Status.</summary>
public sealed record GrpcCallStatus(StatusCode Code, string? Message, Google.Rpc.Status? Details, bool TrailersOnly);
