using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>
/// The engine knows no wire and no API layer: the project graph already refuses a reference back to
/// Verify.Server; this catches a package that would bring protobuf, gRPC or ASP.NET Core's request
/// pipeline in by another door.
/// </summary>
public sealed class EngineBoundaryTests
{
    [Theory]
    [InlineData("Verify.Server")]
    [InlineData("Verify.EmbeddedRedis")]
    [InlineData("Google.Protobuf")]
    [InlineData("Google.Api.CommonProtos")]
    [InlineData("Grpc.Core.Api")]
    [InlineData("Grpc.AspNetCore.Server")]
    [InlineData("Microsoft.AspNetCore.Http.Abstractions")]
    [InlineData("Microsoft.AspNetCore.Routing")]
    public void EngineAssembly_DoesNotReference(string forbidden)
    {
        var references = typeof(Verifier).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain(forbidden, references);
    }

    [Fact]
    public void EngineAssembly_IsNotTheServer() =>
        Assert.Equal("Verify.Engine", typeof(Verifier).Assembly.GetName().Name);
}
