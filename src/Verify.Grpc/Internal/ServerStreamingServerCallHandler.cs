using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    GrpcMethodDescription method,
    Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker,
    GrpcServiceOptions options,
    ILogger logger,
    TimeProvider timeProvider)
    : ServerCallHandler(method, options, logger, timeProvider)
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    protected override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleRequestAsync(Parser).ConfigureAwait(false);
        var service = httpContext.RequestServices.GetRequiredService<TService>();
        await invoker(service, request, new HttpContextStreamWriter<TResponse>(call), call).ConfigureAwait(false);
    }
}
