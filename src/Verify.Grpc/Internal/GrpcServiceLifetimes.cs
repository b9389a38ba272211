using Microsoft.Extensions.DependencyInjection;

namespace Verify.Grpc.Internal;

/// <summary>
/// How each gRPC service type was registered. The provider does not say, so the registrations are
/// kept as they stood when the provider was built (the collection is read-only by then).
/// </summary>
internal sealed class GrpcServiceLifetimes(IServiceCollection services)
{
    public bool IsSingleton(Type serviceType)
    {
        // The last registration of a type is the one the provider resolves.
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == serviceType && !descriptor.IsKeyedService)
            {
                return descriptor.Lifetime == ServiceLifetime.Singleton;
            }
        }

        return false;
    }
}
