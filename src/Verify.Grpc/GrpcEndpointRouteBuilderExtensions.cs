using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Grpc.Health;
using Verify.Grpc.Internal;
using Verify.Grpc.Reflection;

namespace Verify.Grpc;

/// <summary>Maps gRPC services onto endpoint routing, one POST endpoint per method.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    private const string LoggerCategory = "Verify.Grpc.Server";

    /// <summary>
    /// Maps every method <typeparamref name="TService"/> binds. The service comes from DI: a singleton
    /// is resolved once, any other lifetime per call from the request's services.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class, IGrpcService<TService>
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var registry = services.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpc() before mapping gRPC services.");
        var options = services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        var timeProvider = services.GetRequiredService<TimeProvider>();

        var activator = new GrpcServiceActivator<TService>(services, services.GetRequiredService<GrpcServiceLifetimes>());
        var binder = new GrpcServiceBinder<TService>(TService.Descriptor, activator, options, logger, timeProvider);
        TService.BindService(binder);
        registry.AddService(TService.Descriptor);

        var builders = new List<IEndpointConventionBuilder>(binder.Methods.Count);
        foreach (var (path, handler) in binder.Methods)
        {
            builders.Add(endpoints.MapPost(path, handler).WithDisplayName($"gRPC {path}"));
        }

        if (registry.TryClaimUnimplementedEndpoint())
        {
            var unimplemented = new UnimplementedCallHandler(registry, logger);
            endpoints.MapPost("{unimplementedService}/{unimplementedMethod}", unimplemented.HandleCallAsync)
                .WithDisplayName("gRPC unimplemented")
                .Add(builder => ((RouteEndpointBuilder)builder).Order = int.MaxValue);
        }

        return new CompositeEndpointConventionBuilder(builders);
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c>; its statuses come from <see cref="GrpcHealthStatus"/>.</summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<HealthService>();

    /// <summary>Maps <c>grpc.reflection.v1.ServerReflection</c> and <c>v1alpha</c> over every mapped service.</summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints) =>
        new CompositeEndpointConventionBuilder(
        [
            endpoints.MapGrpcService<ReflectionServiceV1>(),
            endpoints.MapGrpcService<ReflectionServiceV1Alpha>(),
        ]);
}
