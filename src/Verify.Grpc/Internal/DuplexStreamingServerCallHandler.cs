using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
    GrpcMethodDescription method,
    GrpcServiceActivator<TService> activator,
    Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker,
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
        var service = activator.Resolve(httpContext);
        await invoker(service, new HttpContextStreamReader<TRequest>(call), new HttpContextStreamWriter<TResponse>(call), call).ConfigureAwait(false);
    }
}
