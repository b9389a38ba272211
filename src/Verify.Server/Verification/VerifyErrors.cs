using FluentValidation.Results;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Verify.Delivery.Phones;
using Verify.Server.RequestLimits;
using Status = Google.Rpc.Status;
using Verify.Engine.Verification;

namespace Verify.Server.Verification;

/// <summary>Every error Verify answers, built in one place so each carries the same google.rpc details.</summary>
internal static class VerifyErrors
{
    public const string Domain = "verify.v1";

    /// <summary>One text whatever the reason, so that a caller cannot probe (expired, approved, canceled, never).</summary>
    public const string NotFoundMessage = "No live verification matches the request.";

    public static RpcException InvalidArgument(ValidationResult result)
    {
        var badRequest = new BadRequest();
        foreach (var failure in result.Errors)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = failure.PropertyName, Description = failure.ErrorMessage });
        }

        var summary = string.Join("; ", result.Errors.Select(f => $"{f.PropertyName} {f.ErrorMessage}"));
        return Rich(Code.InvalidArgument, $"Invalid request: {summary}", Any.Pack(badRequest));
    }

    public static RpcException InvalidCode(int expectedLength)
    {
        var badRequest = new BadRequest
        {
            FieldViolations = { new BadRequest.Types.FieldViolation { Field = "code", Description = $"must be {expectedLength} characters of the code that was sent" } },
        };
        return Rich(Code.InvalidArgument, "Invalid request: the code cannot be one this verification sent.", Any.Pack(badRequest));
    }

    public static RpcException ChannelUnavailable(string reason)
    {
        var badRequest = new BadRequest
        {
            FieldViolations = { new BadRequest.Types.FieldViolation { Field = "channel", Description = reason } },
        };
        return Rich(Code.InvalidArgument, $"Invalid request: channel {reason}", Any.Pack(badRequest));
    }

    /// <summary>The same for every call: an unknown id and someone else's answer alike, so nothing is built per call.</summary>
    public static readonly Grpc.Core.Status NotFoundStatus = new(StatusCode.NotFound, NotFoundMessage);

    public static RpcException Throttled(string subject, string description, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        return Rich(
            Code.ResourceExhausted,
            $"Rate limit reached ({subject}): {description} Retry in {seconds} s.",
            Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) }),
            Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = subject, Description = description } } }),
            Any.Pack(new ErrorInfo { Reason = "RATE_LIMITED", Domain = Domain, Metadata = { ["limit"] = subject } }));
    }

    /// <summary>
    /// A caller over its request limits (<c>Verify:RequestLimits</c>), refused before any work. Its own
    /// reason, REQUEST_RATE_LIMITED, so a client tells it from an OTP send throttle (RATE_LIMITED, which is
    /// about a number or a prefix and means telling the user to wait): this one means the calling service
    /// itself should slow down. The metadata names the caller, the method and the limit hit.
    /// </summary>
    public static RpcException RequestRateLimited(string caller, string method, RequestRefusal refusal)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(refusal.RetryAfter.TotalSeconds));
        var subject = $"request_rate:{refusal.Limit}";
        var description = refusal.Limit switch
        {
            RequestRefusal.Concurrency => $"caller {caller} has as many calls in flight as it may",
            RequestRefusal.Method => $"caller {caller} made more {method} calls than its limit allows",
            _ => $"caller {caller} made more calls than its limit allows",
        };
        return Rich(
            Code.ResourceExhausted,
            $"Request limit reached ({subject}): {description}; nothing was done. Retry in {seconds} s.",
            Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) }),
            Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = subject, Description = description } } }),
            Any.Pack(new ErrorInfo { Reason = "REQUEST_RATE_LIMITED", Domain = Domain, Metadata = { ["limit"] = subject, ["caller"] = caller, ["method"] = method } }));
    }

    public static RpcException NotPending(VerificationRecord record)
    {
        var precondition = new PreconditionFailure
        {
            Violations =
            {
                new PreconditionFailure.Types.Violation
                {
                    Type = "VERIFICATION_STATE",
                    Subject = record.Id,
                    Description = $"the verification is {record.Status} and can no longer be canceled; it expires on its own",
                },
            },
        };
        return Rich(Code.FailedPrecondition, "The verification is no longer pending.", Any.Pack(precondition));
    }

    public static RpcException SendFailed() =>
        Rich(
            Code.Unavailable,
            "The SMS channel did not take the message; nothing was counted. Retry later.",
            Any.Pack(new ErrorInfo { Reason = "DELIVERY_FAILED", Domain = Domain }));

    public static RpcException StoreUnavailable() =>
        Rich(
            Code.Unavailable,
            "The verification store is unavailable; nothing was accepted. Retry later.",
            Any.Pack(new ErrorInfo { Reason = "STORE_UNAVAILABLE", Domain = Domain }));

    public static RpcException Unauthenticated(string message) =>
        Rich(Code.Unauthenticated, message, Any.Pack(new ErrorInfo { Reason = "UNAUTHENTICATED", Domain = Domain }));

    public static RpcException CountryNotAllowed(string message) =>
        Rich(Code.PermissionDenied, message, Any.Pack(new ErrorInfo { Reason = "COUNTRY_NOT_ALLOWED", Domain = Domain }));

    /// <summary>The line type goes in the metadata as configured (e.g. "PremiumRate"), so a caller can tell the user which kind of number to give.</summary>
    public static RpcException LineTypeNotAllowed(string message, PhoneLineType lineType) =>
        Rich(Code.PermissionDenied, message, Any.Pack(new ErrorInfo { Reason = "LINE_TYPE_NOT_ALLOWED", Domain = Domain, Metadata = { ["line_type"] = lineType.ToString() } }));

    public static RpcException PermissionDenied(string message) =>
        Rich(Code.PermissionDenied, message, Any.Pack(new ErrorInfo { Reason = "PERMISSION_DENIED", Domain = Domain }));

    private static RpcException Rich(Code code, string message, params Any[] details)
    {
        var status = new Status { Code = (int)code, Message = message };
        status.Details.Add(details);
        return status.ToRpcException();
    }
}
