using Microsoft.AspNetCore.Builder;

namespace Verify.Grpc.Internal;

/// <summary>Applies a convention (authorization, host, metadata) to every method endpoint of a service.</summary>
internal sealed class CompositeEndpointConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders)
        {
            builder.Add(convention);
        }
    }
}
