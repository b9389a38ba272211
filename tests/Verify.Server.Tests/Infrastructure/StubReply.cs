namespace Verify.Server.Tests.Infrastructure;

/// <summary>What a <see cref="StubHttpServer"/> answers: a status and, optionally, a body.</summary>
internal sealed record StubReply(int Status, string? Body = null, string ContentType = StubReply.Json)
{
    public const string Json = "application/json; charset=utf-8";
}
