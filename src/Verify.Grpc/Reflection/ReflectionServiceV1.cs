using Google.Protobuf.Reflection;
using Verify.Grpc.Reflection.V1;

namespace Verify.Grpc.Reflection;

/// <summary><c>grpc.reflection.v1.ServerReflection</c>: one response per request, each flushed at once.</summary>
internal sealed class ReflectionServiceV1(GrpcServiceRegistry registry) : IGrpcService<ReflectionServiceV1>
{
    public static ServiceDescriptor Descriptor => Reflection.V1.ReflectionReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<ReflectionServiceV1> binder) =>
        binder.AddDuplexStreamingMethod<ServerReflectionRequest, ServerReflectionResponse>(
            "ServerReflectionInfo", (service, requests, responses, context) => service.ServeAsync(requests, responses, context));

    private async Task ServeAsync(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        var resolver = new ReflectionResolver(registry);
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(resolver.Resolve(requests.Current), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
