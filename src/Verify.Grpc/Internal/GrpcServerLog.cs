using Microsoft.Extensions.Logging;

namespace Verify.Grpc.Internal;

internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Debug, "Call {Method} ended by the client.", EventName = "CallCanceledByClient")]
    public static partial void CallCanceledByClient(ILogger logger, string method);

    [LoggerMessage(2, LogLevel.Debug, "Call {Method} exceeded its deadline.", EventName = "DeadlineExceeded")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(3, LogLevel.Error, "Call {Method}: the handler threw an unexpected exception.", EventName = "HandlerThrew")]
    public static partial void HandlerThrew(ILogger logger, string method, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Call {Method} ended with status {StatusCode}.", EventName = "RpcErrorReturned")]
    public static partial void RpcErrorReturned(ILogger logger, string method, StatusCode statusCode);

    [LoggerMessage(5, LogLevel.Debug, "Invalid grpc-timeout value '{Timeout}' ignored.", EventName = "InvalidTimeoutIgnored")]
    public static partial void InvalidTimeoutIgnored(ILogger logger, string timeout);

    [LoggerMessage(6, LogLevel.Warning, "Call {Method}: ending the call at its deadline failed; the connection stream was aborted.", EventName = "DeadlineEndFailed")]
    public static partial void DeadlineEndFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "Request for {Path} refused: {Reason}", EventName = "RequestRefused")]
    public static partial void RequestRefused(ILogger logger, string path, string reason);

    [LoggerMessage(8, LogLevel.Debug, "Call to unimplemented {Path}.", EventName = "Unimplemented")]
    public static partial void Unimplemented(ILogger logger, string path);

    [LoggerMessage(9, LogLevel.Warning, "Health watch of '{Service}' failed.", EventName = "HealthWatchFailed")]
    public static partial void HealthWatchFailed(ILogger logger, string service, Exception exception);
}
