using Google.Protobuf.Reflection;
using Verify.Grpc.Health.V1;

namespace Verify.Grpc.Health;

/// <summary><c>grpc.health.v1.Health</c> (grpc/grpc doc/health-checking.md).</summary>
internal sealed class HealthService(GrpcHealthStatus statuses) : IGrpcService<HealthService>
{
    public static ServiceDescriptor Descriptor => HealthReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<HealthService> binder) => binder
        .AddUnaryMethod<HealthCheckRequest, HealthCheckResponse>("Check", (service, request, context) => service.Check(request))
        .AddServerStreamingMethod<HealthCheckRequest, HealthCheckResponse>("Watch", (service, request, writer, context) => service.WatchAsync(request, writer, context));

    private Task<HealthCheckResponse> Check(HealthCheckRequest request) =>
        statuses.TryGetStatus(request.Service, out var status)
            ? Task.FromResult(new HealthCheckResponse { Status = status })
            : throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> writer, ServerCallContext context)
    {
        // A client that stops watching cancels the token; the layer ends the call for it.
        await foreach (var status in statuses.WatchAsync(request.Service, context.CancellationToken).ConfigureAwait(false))
        {
            await writer.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
