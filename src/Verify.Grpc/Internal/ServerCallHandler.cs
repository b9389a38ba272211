using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

/// <summary>What every call does around its handler: gate, context, activity, one place for the end.</summary>
internal abstract class ServerCallHandler(GrpcMethodDescription method, GrpcServiceOptions options, ILogger logger, TimeProvider timeProvider)
{
    protected GrpcMethodDescription Method { get; } = method;

    protected GrpcServiceOptions Options { get; } = options;

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        if (!GrpcRequestGate.TryEnter(httpContext, logger))
        {
            return;
        }

        // Routing matches paths case-insensitively; gRPC paths are case-sensitive (PROTOCOL-HTTP2.md).
        if (!string.Equals(httpContext.Request.Path.Value, Method.Path, StringComparison.Ordinal))
        {
            var serviceKnown = httpContext.Request.Path.Value?.StartsWith(Method.ServicePathPrefix, StringComparison.Ordinal) == true;
            UnimplementedCallHandler.WriteUnimplemented(httpContext, logger, serviceKnown);
            return;
        }

        var activity = GrpcDiagnostics.StartCall(Method);
        using var call = new HttpContextServerCallContext(httpContext, Method, Options, logger, timeProvider);
        try
        {
            call.Initialize();
            await HandleCallCoreAsync(httpContext, call).ConfigureAwait(false);
            call.End();
        }
        catch (Exception exception)
        {
            call.EndWithError(exception);
        }
        finally
        {
            await call.CompleteAsync().ConfigureAwait(false);
            GrpcDiagnostics.EndCall(activity, call.Status.StatusCode);
        }
    }

    protected abstract Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call);
}
