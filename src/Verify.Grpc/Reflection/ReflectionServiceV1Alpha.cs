using Google.Protobuf;
using Google.Protobuf.Reflection;
using Verify.Grpc.Reflection.V1Alpha;

namespace Verify.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1alpha.ServerReflection</c>, for clients that predate v1. Its messages are the
/// v1 messages byte for byte, so each request is read as v1 and answered by the same resolver.
/// </summary>
internal sealed class ReflectionServiceV1Alpha(GrpcServiceRegistry registry) : IGrpcService<ReflectionServiceV1Alpha>
{
    public static ServiceDescriptor Descriptor => Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<ReflectionServiceV1Alpha> binder) =>
        binder.AddDuplexStreamingMethod<ServerReflectionRequest, ServerReflectionResponse>(
            "ServerReflectionInfo", (service, requests, responses, context) => service.ServeAsync(requests, responses, context));

    private async Task ServeAsync(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        var resolver = new ReflectionResolver(registry);
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var asV1 = V1.ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = resolver.Resolve(asV1);
            await responses.WriteAsync(ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
