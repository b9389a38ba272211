using Verify.Delivery;

namespace Verify.Server.Tests.Delivery;

/// <summary>
/// Delivery knows nothing of storage, the engine or the wire: the project graph already refuses a reference back
/// to Verify.Server; this catches a package that would bring storage or protobuf in by another door.
/// </summary>
public sealed class DeliveryBoundaryTests
{
    [Theory]
    [InlineData("Verify.Server")]
    [InlineData("StackExchange.Redis")]
    [InlineData("Google.Protobuf")]
    [InlineData("Grpc.Core.Api")]
    [InlineData("Grpc.AspNetCore.Server")]
    public void DeliveryAssembly_DoesNotReference(string forbidden)
    {
        var references = typeof(DeliveryRouter).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain(forbidden, references);
    }
}
