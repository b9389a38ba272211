using FluentValidation;
using Grpc.Core;
using Grpc.Core.Interceptors;
using System.Threading.RateLimiting;
using Verify.Server.Metrics;
using Verify.Server.RequestLimits;
using Verify.Delivery.Phones;
using Verify.Server.Validation;
using Verify.Server.Verification;
using Verify.Engine.Verification;
using Verify.Engine.Metrics;

namespace Verify.Server.Security;

/// <summary>
/// The one place where a call is authenticated, held to its caller's request limits, validated, authorized
/// and audited, in that order, so no handler can forget a step: an unknown caller learns nothing about the
/// input, a caller over its limits costs no parsing and no store work, a bad input is INVALID_ARGUMENT before
/// any permission is looked at (as before this layer existed), and every call to a listed method leaves
/// exactly one audit line whatever happened. Health and reflection pass through, unlimited; a method of
/// Verify's own services without an <see cref="AuditedMethod"/> entry is refused.
/// </summary>
internal sealed class CallerInterceptor(
    CallerAuthenticator authenticator,
    RequestLimiter limiter,
    IServiceProvider services,
    AuditLog audit,
    VerifyMetrics metrics) : Interceptor
{
    /// <summary>The audit outcome of a call refused by <c>Verify:RequestLimits</c>; counted as <c>verify.throttled{subject="requests"}</c>.</summary>
    public const string RequestLimitOutcome = "throttled:requests";

    private const string EncodingHeader = "grpc-encoding";

    // grpc-dotnet's per-call switch for compressing the response (its GrpcProtocolConstants.CompressionRequestAlgorithmHeader).
    private const string ResponseEncodingHeader = "grpc-internal-encoding-request";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        IsGzip(context) ? CompressedResponseAsync(request, context, continuation) : Handle(request, context, continuation);

    // Verify serves no streaming method of its own; one added later is refused until it gets a rule here.
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethod.IsVerifyMethod(context.Method) ? Task.FromException<TResponse>(NoRule(context)) : continuation(requestStream, context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethod.IsVerifyMethod(context.Method) ? Task.FromException(NoRule(context)) : continuation(request, responseStream, context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        AuditedMethod.IsVerifyMethod(context.Method) ? Task.FromException(NoRule(context)) : continuation(requestStream, responseStream, context);

    /// <summary>
    /// Not async on purpose: a refusal ends as a faulted task that is handed on, not rethrown here, since
    /// every rethrow up an async chain costs microseconds and a refusal (NOT_FOUND, throttled) is an
    /// everyday answer. Steps before the handler throw at most once, caught below.
    /// </summary>
    private Task<TResponse> Handle<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        if (!AuditedMethod.ByPath.TryGetValue(context.Method, out var method))
        {
            // Health and reflection need no caller; a method of Verify's own without a rule is refused, not let through.
            return AuditedMethod.IsVerifyMethod(context.Method)
                ? Task.FromException<TResponse>(NoRule(context))
                : continuation(request, context);
        }

        var entry = new AuditEvent(method.Operation);
        Task<TResponse> call;
        RateLimitLease? inFlight = null;
        try
        {
            var caller = authenticator.Authenticate(context);
            entry.Caller = caller.Name;

            // Right after authentication, before anything that costs: a refused call is answered, not thrown (see above),
            // since under a flood refusals are most calls.
            if (limiter.TryAcquire(caller.Name, method.Name, out inFlight) is { } refusal)
            {
                entry.Outcome = RequestLimitOutcome;
                call = Task.FromException<TResponse>(VerifyErrors.RequestRateLimited(caller.Name, method.Name, refusal));
            }
            else
            {
                if (method.RequiresAdmin && !caller.Admin)
                {
                    throw VerifyErrors.PermissionDenied($"Caller {caller.Name} is not an admin.");
                }

                var parsed = Validate(request);
                if (method.CallerOperation is { } operation)
                {
                    Authorize(caller, operation, request as IAuthorizedRequest, parsed, entry);
                }

                new CallScope(caller, entry, parsed).AttachTo(context);
                call = continuation(request, context);
            }
        }
        catch (Exception exception)
        {
            call = Task.FromException<TResponse>(exception);
        }

        return call.IsCompleted
            ? Finish(call, context, entry, inFlight)
            : call.ContinueWith(
                static (ended, state) =>
                {
                    var (self, context, entry, inFlight) = ((CallerInterceptor, ServerCallContext, AuditEvent, RateLimitLease?))state!;
                    return self.Finish(ended, context, entry, inFlight);
                },
                (this, context, entry, inFlight),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Frees the call's slot in flight, writes the audit line of the ended call and hands its outcome on; a
    /// store failure becomes UNAVAILABLE.
    /// </summary>
    private Task<TResponse> Finish<TResponse>(Task<TResponse> call, ServerCallContext context, AuditEvent entry, RateLimitLease? inFlight)
    {
        inFlight?.Dispose();
        var outcome = call;
        switch (call.Exception?.InnerException)
        {
            case null when context.Status.StatusCode != StatusCode.OK:
                entry.Outcome ??= context.Status.StatusCode.ToString().ToLowerInvariant();
                break;
            case StoreUnavailableException:
                entry.Outcome = "unavailable";
                outcome = Task.FromException<TResponse>(VerifyErrors.StoreUnavailable());
                break;
            case RpcException exception:
                entry.Outcome ??= exception.StatusCode.ToString().ToLowerInvariant();
                break;
        }

        audit.Write(entry);
        metrics.Record(entry.Operation, entry.Purpose, entry.Outcome);
        return outcome;
    }

    private async Task<TResponse> CompressedResponseAsync<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        await context.WriteResponseHeadersAsync(new Metadata { { ResponseEncodingHeader, "gzip" } });
        return await Handle(request, context, continuation);
    }

    private static RpcException NoRule(ServerCallContext context) => VerifyErrors.PermissionDenied($"{context.Method} has no authorization rule.");

    private IDictionary<string, object> Validate<TRequest>(TRequest request)
    {
        if (services.GetService<IValidator<TRequest>>() is not { } validator)
        {
            return new Dictionary<string, object>(0);
        }

        var context = new ValidationContext<TRequest>(request);
        var result = validator.Validate(context);
        return result.IsValid ? context.RootContextData : throw VerifyErrors.InvalidArgument(result);
    }

    private static void Authorize(Caller caller, CallerOperation operation, IAuthorizedRequest? request, IDictionary<string, object> parsed, AuditEvent entry)
    {
        if (parsed.TryGetValue(ValidationKeys.Phone, out var phone))
        {
            entry.MaskedPhone = ((PhoneNumber)phone).Masked;
        }

        if (request?.VerificationIdToAudit is { } id)
        {
            entry.VerificationId = id;
        }

        // Validated by now: an address that is not one never reaches the line (it could split it).
        if (request?.ClientIpToAudit is { } ip && FieldRules.IsIpAddress(ip))
        {
            entry.ClientIp = FieldRules.CanonicalIp(ip);
        }

        var operationName = operation.ToString().ToLowerInvariant();
        if (request?.PurposeToAuthorize is { } purpose)
        {
            entry.Purpose = purpose;
            if (!caller.MayUse(purpose, operation))
            {
                throw VerifyErrors.PermissionDenied($"Caller {caller.Name} may not {operationName} verifications for {purpose}.");
            }
        }
        else if (!caller.Operations.Contains(operation))
        {
            throw VerifyErrors.PermissionDenied($"Caller {caller.Name} may not {operationName} verifications.");
        }
    }

    /// <summary>
    /// A response is gzip-compressed when its request was: a client that compresses says it wants the
    /// bytes saved, while compressing every answer for every client that merely accepts gzip would spend
    /// CPU on messages of a few hundred bytes.
    /// </summary>
    private static bool IsGzip(ServerCallContext context) =>
        // From the HTTP request: grpc-dotnet leaves grpc-encoding out of RequestHeaders.
        context.GetHttpContext().Request.Headers[EncodingHeader] == "gzip";
}
