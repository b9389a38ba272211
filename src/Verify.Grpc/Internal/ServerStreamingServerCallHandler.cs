using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    GrpcMethodDescription method,
    GrpcServiceActivator<TService> activator,
    Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker,
    GrpcServiceOptions options,
    ILogger logger,
    TimeProvider timeProvider)
    : ServerCallHandler(method, options, logger, timeProvider)
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleRequestAsync(MessageParsers<TRequest>.Parser).ConfigureAwait(false);
        var service = activator.Resolve(httpContext);
        await invoker(service, request, new HttpContextStreamWriter<TResponse>(call), call).ConfigureAwait(false);
    }
}
