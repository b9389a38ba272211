using FluentValidation;
using Verify.Grpc;
using Verify.Server.Configuration;
using Verify.Server.Delivery;
using Verify.Server.Metrics;
using Verify.Server.Phones;
using Verify.Server.Security;
using Verify.Server.Storage;
using Verify.Server.Validation;
using Verify.V1;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Verify.Server.Verification;

/// <summary>
/// <c>verify.v1.VerificationService</c>: validates, maps proto to the engine and back, and turns every
/// outcome into the answer the contract names. Every call is authenticated first, authorized for its
/// purpose and operation, and leaves one audit line. No OTP logic lives here.
/// </summary>
internal sealed class VerificationGrpcService(
    Verifier verifier,
    StartVerificationRequestValidator startValidator,
    CheckVerificationRequestValidator checkValidator,
    GetVerificationRequestValidator getValidator,
    CancelVerificationRequestValidator cancelValidator,
    CallerAuthenticator authenticator,
    AuditLog audit,
    VerifyMetrics metrics) : IGrpcService<VerificationGrpcService>
{
    public static ServiceDescriptor Descriptor => VerifyReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<VerificationGrpcService> binder) => binder
        .AddUnaryMethod<StartVerificationRequest, StartVerificationResponse>("StartVerification", (s, r, c) => s.StartAsync(r, c))
        .AddUnaryMethod<CheckVerificationRequest, CheckVerificationResponse>("CheckVerification", (s, r, c) => s.CheckAsync(r, c))
        .AddUnaryMethod<GetVerificationRequest, Verify.V1.Verification>("GetVerification", (s, r, c) => s.GetAsync(r, c))
        .AddUnaryMethod<CancelVerificationRequest, Verify.V1.Verification>("CancelVerification", (s, r, c) => s.CancelAsync(r, c));

    private Task<StartVerificationResponse> StartAsync(StartVerificationRequest request, ServerCallContext context) =>
        AuditedAsync("start", context, async (caller, entry) =>
        {
            var parsed = Validate(startValidator, request);
            var phone = (PhoneNumber)parsed[ValidationKeys.Phone];
            var policy = (VerificationPolicy)parsed[ValidationKeys.Policy];
            (entry.Purpose, entry.MaskedPhone) = (policy.Name, phone.Masked);
            CallerAuthenticator.Authorize(caller, policy.Name, CallerOperation.Start);
            var input = new StartInput(
                phone,
                policy,
                request.Locale.Length > 0 ? request.Locale : null,
                request.ClientIp.Length > 0 ? FieldRules.CanonicalIp(request.ClientIp) : null,
                VerificationMapper.ToDomain(request.Transaction),
                request.IdempotencyKey.Length > 0 ? request.IdempotencyKey : null)
            {
                Owner = caller.OwnerTag,
                CallerName = caller.Name,
                Channel = request.Channel == Channel.Voice ? DeliveryChannel.Voice : DeliveryChannel.Sms,
            };

            switch (await OrUnavailable(() => verifier.StartAsync(input, context.CancellationToken)))
            {
                case StartOutcome.Started started:
                    (entry.VerificationId, entry.Outcome) = (started.Record.Id, started.Replayed ? "replayed" : "sent");
                    return new StartVerificationResponse { Verification = VerificationMapper.ToProto(started.Record) };
                case StartOutcome.Throttled throttled:
                    entry.Outcome = "throttled:" + throttled.Subject;
                    throw VerifyErrors.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter);
                case StartOutcome.Refused refused:
                    entry.Outcome = "country_not_allowed";
                    throw VerifyErrors.CountryNotAllowed(refused.Reason);
                case StartOutcome.LineTypeNotAllowed lineType:
                    entry.Outcome = "line_type_not_allowed";
                    throw VerifyErrors.LineTypeNotAllowed(lineType.Reason, lineType.LineType);
                case StartOutcome.ChannelUnavailable unavailable:
                    entry.Outcome = "invalidargument";
                    throw VerifyErrors.ChannelUnavailable(unavailable.Reason);
                default:
                    entry.Outcome = "send_failed";
                    throw VerifyErrors.SendFailed();
            }
        });

    private Task<CheckVerificationResponse> CheckAsync(CheckVerificationRequest request, ServerCallContext context) =>
        AuditedAsync("check", context, async (caller, entry) =>
        {
            var parsed = Validate(checkValidator, request);
            var phone = parsed.TryGetValue(ValidationKeys.Phone, out var value) ? (PhoneNumber)value : null;
            if (phone is not null)
            {
                (entry.Purpose, entry.MaskedPhone) = (request.Purpose, phone.Masked);
                CallerAuthenticator.Authorize(caller, request.Purpose, CallerOperation.Check);
            }
            else
            {
                entry.VerificationId = request.VerificationId;
                AuthorizeOperation(caller, CallerOperation.Check);
            }

            var input = new CheckInput(
                request.VerificationId.Length > 0 ? request.VerificationId : null,
                phone,
                request.Purpose.Length > 0 ? request.Purpose : null,
                request.Code,
                VerificationMapper.ToDomain(request.Transaction),
                request.ClientIp.Length > 0 ? FieldRules.CanonicalIp(request.ClientIp) : null)
            {
                Owner = caller.OwnerTag,
            };

            switch (await OrUnavailable(() => verifier.CheckAsync(input, context.CancellationToken)))
            {
                case CheckResult.Checked check:
                    Describe(entry, check.Record);
                    entry.Outcome = check.Valid ? "approved" : check.Record.Status switch
                    {
                        VerificationState.Pending => "wrong_code",
                        VerificationState.MaxAttemptsReached => "locked",
                        VerificationState.Failed => "burned",
                        var other => other.ToString().ToLowerInvariant(),
                    };
                    return ToResponse(check);
                case CheckResult.Malformed malformed:
                    entry.Outcome = "malformed_code";
                    throw VerifyErrors.InvalidCode(malformed.ExpectedLength);
                case CheckResult.Throttled throttled:
                    entry.Outcome = "throttled:" + throttled.Subject;
                    throw VerifyErrors.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter);
                default:
                    entry.Outcome = "not_found";
                    throw VerifyErrors.NotFound();
            }
        });

    private Task<Verify.V1.Verification> GetAsync(GetVerificationRequest request, ServerCallContext context) =>
        AuditedAsync("get", context, async (caller, entry) =>
        {
            Validate(getValidator, request);
            entry.VerificationId = request.VerificationId;
            AuthorizeOperation(caller, CallerOperation.Get);
            var record = await OrUnavailable(() => verifier.GetAsync(request.VerificationId, caller.OwnerTag, context.CancellationToken));
            if (record is null)
            {
                entry.Outcome = "not_found";
                throw VerifyErrors.NotFound();
            }

            Describe(entry, record);
            entry.Outcome = "found";
            return VerificationMapper.ToProto(record);
        });

    private Task<Verify.V1.Verification> CancelAsync(CancelVerificationRequest request, ServerCallContext context) =>
        AuditedAsync("cancel", context, async (caller, entry) =>
        {
            Validate(cancelValidator, request);
            entry.VerificationId = request.VerificationId;
            AuthorizeOperation(caller, CallerOperation.Cancel);
            switch (await OrUnavailable(() => verifier.CancelAsync(request.VerificationId, caller.OwnerTag, context.CancellationToken)))
            {
                case CancelResult.Canceled canceled:
                    Describe(entry, canceled.Record);
                    entry.Outcome = "canceled";
                    return VerificationMapper.ToProto(canceled.Record);
                case CancelResult.NotPending notPending:
                    Describe(entry, notPending.Record);
                    entry.Outcome = "not_pending";
                    throw VerifyErrors.NotPending(notPending.Record);
                default:
                    entry.Outcome = "not_found";
                    throw VerifyErrors.NotFound();
            }
        });

    /// <summary>Authenticates, runs the call, and writes its audit line whatever happened.</summary>
    private async Task<T> AuditedAsync<T>(string operation, ServerCallContext context, Func<Caller, AuditEvent, Task<T>> call)
    {
        var entry = new AuditEvent(operation);
        try
        {
            var caller = authenticator.Authenticate(context);
            entry.Caller = caller.Name;
            return await call(caller, entry);
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

    /// <summary>By id the purpose is known only from the record; a caller reaches only its own records, so here the operation is what is checked.</summary>
    private static void AuthorizeOperation(Caller caller, CallerOperation operation)
    {
        if (!caller.Operations.Contains(operation))
        {
            throw VerifyErrors.PermissionDenied($"Caller {caller.Name} may not {operation.ToString().ToLowerInvariant()} verifications.");
        }
    }

    private static void Describe(AuditEvent entry, VerificationRecord record) =>
        (entry.VerificationId, entry.Purpose, entry.MaskedPhone) = (record.Id, record.Purpose, PhoneMasking.MaskStored(record.PhoneNumber));

    private static CheckVerificationResponse ToResponse(CheckResult.Checked check)
    {
        var verification = VerificationMapper.ToProto(check.Record);
        return new CheckVerificationResponse
        {
            Valid = check.Valid,
            Status = verification.Status,
            AttemptsRemaining = verification.AttemptsRemaining,
            Verification = verification,
        };
    }

    /// <summary>Validates; the values the validator parsed on the way (phone, policy) come back so nothing is parsed twice.</summary>
    private static IDictionary<string, object> Validate<T>(IValidator<T> validator, T request)
    {
        var context = new ValidationContext<T>(request);
        var result = validator.Validate(context);
        return result.IsValid ? context.RootContextData : throw VerifyErrors.InvalidArgument(result);
    }

    private static async Task<T> OrUnavailable<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StoreUnavailableException)
        {
            throw VerifyErrors.StoreUnavailable();
        }
    }
}
