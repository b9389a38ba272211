using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse>(
    GrpcMethodDescription method,
    Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker,
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
        var response = await invoker(service, request, call).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Cancelled, "No message returned from method."));
        await call.EndWithResponseAsync(response).ConfigureAwait(false);
    }
}
