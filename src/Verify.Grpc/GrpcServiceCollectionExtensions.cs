using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Verify.Grpc.Health;
using Verify.Grpc.Internal;
using Verify.Grpc.Reflection;

namespace Verify.Grpc;

public static class GrpcServiceCollectionExtensions
{
    /// <summary>Registers the gRPC layer, health statuses and reflection; map services with <c>MapGrpcService</c>.</summary>
    public static IServiceCollection AddGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GrpcServiceOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton(new GrpcServiceLifetimes(services));
        services.TryAddSingleton<GrpcHealthStatus>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<ReflectionServiceV1>();
        services.TryAddSingleton<ReflectionServiceV1Alpha>();
        return services;
    }
}
