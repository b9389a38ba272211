using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Verify.Grpc.Internal;

/// <summary>The checks before a call exists: HTTP/2 and a gRPC content type; otherwise a plain HTTP answer.</summary>
internal static class GrpcRequestGate
{
    public static bool TryEnter(HttpContext httpContext, ILogger logger)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            Refuse(httpContext, logger, StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported.");
            httpContext.Response.Headers[HeaderNames.Upgrade] = "HTTP/2";
            httpContext.Response.Headers[HeaderNames.Connection] = "Upgrade";
            return false;
        }

        if (!GrpcContentType.IsSupported(request.ContentType))
        {
            Refuse(httpContext, logger, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported.");
            return false;
        }

        return true;
    }

    private static void Refuse(HttpContext httpContext, ILogger logger, int httpStatus, string message)
    {
        GrpcServerLog.RequestRefused(logger, httpContext.Request.Path, message);
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocolConstants.StatusTrailer] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(message);
    }
}
