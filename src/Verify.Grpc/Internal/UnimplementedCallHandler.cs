using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

/// <summary>Answers a POST to a path no method is bound to: HTTP 200 with grpc-status UNIMPLEMENTED (Trailers-Only).</summary>
internal sealed class UnimplementedCallHandler(GrpcServiceRegistry registry, ILogger logger)
{
    public Task HandleCallAsync(HttpContext httpContext)
    {
        if (!GrpcContentType.IsSupported(httpContext.Request.ContentType))
        {
            // Not a gRPC request at all: not ours to answer.
            httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (!GrpcRequestGate.TryEnter(httpContext, logger))
        {
            return Task.CompletedTask;
        }

        var service = httpContext.Request.RouteValues["unimplementedService"] as string ?? string.Empty;
        WriteUnimplemented(httpContext, logger, registry.IsKnownService(service));
        return Task.CompletedTask;
    }

    /// <summary>Trailers-Only UNIMPLEMENTED, naming whether the service or only the method is unknown.</summary>
    public static void WriteUnimplemented(HttpContext httpContext, ILogger logger, bool serviceKnown)
    {
        GrpcServerLog.Unimplemented(logger, httpContext.Request.Path);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocolConstants.GrpcContentType;
        response.Headers[GrpcProtocolConstants.StatusTrailer] = ((int)StatusCode.Unimplemented).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocolConstants.MessageTrailer] = serviceKnown ? "Method is unimplemented." : "Service is unimplemented.";
    }
}
