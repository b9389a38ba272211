using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
    GrpcMethodDescription method,
    GrpcServiceActivator<TService> activator,
    Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker,
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
        var response = await invoker(service, new HttpContextStreamReader<TRequest>(call), call).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Cancelled, "No message returned from method."));
        call.EndWithResponse(response);
    }
}
