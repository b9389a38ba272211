using Grpc.AspNetCore.Server;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Reflection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Verify.Server.Health;
using Verify.Server.RequestLimits;
using Verify.Server.Security;
using Verify.Server.Verification;
using FileDescriptor = Google.Protobuf.Reflection.FileDescriptor;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Verify.Engine.Verification;

namespace Verify.Server.Hosting;

/// <summary>gRPC on Grpc.AspNetCore: limits, the caller interceptor and its request limits, health from the store's readiness, reflection.</summary>
internal static class GrpcServiceCollectionExtensions
{
    public const string GrpcSectionName = "Verify:Grpc";

    /// <summary>64 KiB: a verification request is a few hundred bytes; anything near this is not a caller.</summary>
    public const int DefaultMaxReceiveMessageSize = 64 * 1024;

    public const int MinReceiveMessageSize = 1024;

    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    public static IServiceCollection AddVerifyGrpc(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, List<string> problems)
    {
        // Only the two documented keys, each checked: binding the whole section onto GrpcServiceOptions would let
        // an empty value lift the receive limit (null = unlimited) or switch on settings nobody reviewed.
        var section = configuration.GetSection(GrpcSectionName);
        var maxReceiveMessageSize = section.GetValue<int?>(nameof(GrpcServiceOptions.MaxReceiveMessageSize)) ?? DefaultMaxReceiveMessageSize;
        if (maxReceiveMessageSize is < MinReceiveMessageSize or > MaxReceiveMessageSize)
        {
            problems.Add($"{GrpcSectionName}:{nameof(GrpcServiceOptions.MaxReceiveMessageSize)}: must be between {MinReceiveMessageSize} and {MaxReceiveMessageSize} bytes");
        }

        var enableDetailedErrors = section.GetValue<bool?>(nameof(GrpcServiceOptions.EnableDetailedErrors)) ?? environment.IsDevelopment();
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = maxReceiveMessageSize;
            options.EnableDetailedErrors = enableDetailedErrors;
            options.Interceptors.Add<CallerInterceptor>();
        });
        services.AddSingleton<CallerInterceptor>();

        // Named with every other problem at start; later changes reload (an invalid one is refused, the last good stays).
        problems.AddRange(RequestLimitSettings.Build(configuration).Errors);
        services.AddSingleton<RequestLimiter>();

        // Check and Watch answer what the publisher last saw, so a load balancer's poll costs no store
        // round trip and answers at once even while the store stalls; until the first probe, NOT_SERVING.
        services.AddSingleton(_ =>
        {
            var health = new HealthServiceImpl();
            health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.NotServing);
            health.SetStatus(VerificationServiceName, HealthCheckResponse.Types.ServingStatus.NotServing);
            return health;
        });
        services.AddGrpcHealthChecks(options =>
            {
                options.Services.Map(VerificationServiceName, _ => true);
                options.UseHealthChecksCache = true;
            })
            // One instance, so a change of reachability is logged once, not at every probe.
            .Add(new HealthCheckRegistration(StoreHealthCheck.Name, provider => provider.GetRequiredService<StoreHealthCheck>(), failureStatus: null, tags: null));
        services.AddSingleton<StoreHealthCheck>();
        // The publisher probes as often as Verify:Health says, from the start (its defaults: 30 s, after 5 s).
        services.AddOptions<HealthCheckPublisherOptions>().Configure<IOptions<StoreHealthOptions>>((publisher, store) =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = store.Value.ProbeInterval;
            publisher.Timeout = store.Value.ProbeTimeout + TimeSpan.FromSeconds(1);
        });

        AddReflection(services);
        return services;
    }

    private static string VerificationServiceName => Verify.V1.VerificationService.Descriptor.FullName;

    /// <summary>
    /// The services mapped, and also the google.rpc types carried in grpc-status-details-bin, so grpcurl,
    /// grpcui and Postman can decode an error's details with no proto file.
    /// </summary>
    private static void AddReflection(IServiceCollection services)
    {
        ServiceDescriptor[] served =
        [
            Verify.V1.VerificationService.Descriptor,
            Verify.Admin.V1.AdminService.Descriptor,
            Grpc.Health.V1.Health.Descriptor,
            Grpc.Reflection.V1.ServerReflection.Descriptor,
            Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        ];
        FileDescriptor[] errorTypes = [Google.Rpc.StatusReflection.Descriptor, Google.Rpc.ErrorDetailsReflection.Descriptor];
        var names = served.Select(service => service.FullName).ToArray();
        var registry = SymbolRegistry.FromFiles(served.Select(service => service.File).Concat(errorTypes));

        // Registered before AddGrpcReflection, whose own registrations are TryAdd: these win.
        services.AddSingleton(new ReflectionServiceImpl(names, registry));
        services.AddSingleton(new ReflectionV1ServiceImpl(names, registry));
        services.AddGrpcReflection();
    }
}
