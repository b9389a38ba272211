namespace Verify.Server.Tests.Delivery.Providers;

/// <summary>What a <see cref="RecordingHttpServer"/> answers: a status and, optionally, a body.</summary>
internal sealed record StubReply(int Status, string? Body = null, string ContentType = "application/json; charset=utf-8");
