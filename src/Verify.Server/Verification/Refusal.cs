using Grpc.Core;
using Verify.Engine.Verification;

namespace Verify.Server.Verification;

/// <summary>
/// An expected refusal (not found, throttled, a malformed code, not pending) answered as a status, not
/// thrown: an exception costs more than the rest of the call, and a prober can make every call one.
/// The status and its google.rpc details go in the trailers as a thrown <see cref="RpcException"/>'s would;
/// grpc-dotnet still writes the returned message before them, so it is an empty one (a client that
/// ignored the status would read "not valid").
/// </summary>
internal static class Refusal
{
    public static TResponse Answer<TResponse>(ServerCallContext context, RpcException error)
        where TResponse : new()
    {
        context.Status = error.Status;
        foreach (var trailer in error.Trailers)
        {
            context.ResponseTrailers.Add(trailer);
        }

        return new TResponse();
    }

    /// <summary>A refusal with no details, e.g. <see cref="VerifyErrors.NotFoundStatus"/>.</summary>
    public static TResponse Answer<TResponse>(ServerCallContext context, Status status)
        where TResponse : new()
    {
        context.Status = status;
        return new TResponse();
    }
}
