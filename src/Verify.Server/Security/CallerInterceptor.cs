using FluentValidation;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Verify.Server.Metrics;
using Verify.Server.Phones;
using Verify.Server.Storage;
using Verify.Server.Validation;
using Verify.Server.Verification;

namespace Verify.Server.Security;

/// <summary>
/// The one place where a call is authenticated, validated, authorized and audited, in that order, so
/// no handler can forget a step: an unknown caller learns nothing about the input, a bad input is
/// INVALID_ARGUMENT before any permission is looked at (as before this layer existed), and every call
/// to a listed method leaves exactly one audit line whatever happened. Health and reflection pass through.
/// </summary>
internal sealed class CallerInterceptor(
    CallerAuthenticator authenticator,
    IServiceProvider services,
    AuditLog audit,
    VerifyMetrics metrics) : Interceptor
{
    private const string EncodingHeader = "grpc-encoding";

    // grpc-dotnet's per-call switch for compressing the response (its GrpcProtocolConstants.CompressionRequestAlgorithmHeader).
    private const string ResponseEncodingHeader = "grpc-internal-encoding-request";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await MirrorCompressionAsync(context);
        if (!AuditedMethod.ByPath.TryGetValue(context.Method, out var method))
        {
            return await continuation(request, context);
        }

        var entry = new AuditEvent(method.Operation);
        try
        {
            var caller = authenticator.Authenticate(context);
            entry.Caller = caller.Name;
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
            return await continuation(request, context);
        }
        catch (StoreUnavailableException)
        {
            entry.Outcome = "unavailable";
            throw VerifyErrors.StoreUnavailable();
        }
        catch (RpcException exception)
        {
            entry.Outcome ??= exception.StatusCode.ToString().ToLowerInvariant();
            throw;
        }
        finally
        {
            audit.Write(entry);
            metrics.Record(entry);
        }
    }

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
    private static Task MirrorCompressionAsync(ServerCallContext context) =>
        // From the HTTP request: grpc-dotnet leaves grpc-encoding out of RequestHeaders.
        context.GetHttpContext().Request.Headers[EncodingHeader] == "gzip"
            ? context.WriteResponseHeadersAsync(new Metadata { { ResponseEncodingHeader, "gzip" } })
            : Task.CompletedTask;
}
