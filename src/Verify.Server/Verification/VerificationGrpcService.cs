using FluentValidation;
using Verify.Grpc;
using Verify.Server.Configuration;
using Verify.Server.Phones;
using Verify.Server.Storage;
using Verify.Server.Validation;
using Verify.V1;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Verify.Server.Verification;

/// <summary>
/// <c>verify.v1.VerificationService</c>: validates, maps proto to the engine and back, and turns every
/// outcome into the answer the contract names. No OTP logic lives here.
/// </summary>
internal sealed class VerificationGrpcService(
    Verifier verifier,
    StartVerificationRequestValidator startValidator,
    CheckVerificationRequestValidator checkValidator) : IGrpcService<VerificationGrpcService>
{
    private static readonly VerificationIdRequestValidator<GetVerificationRequest> GetValidator = new(r => r.VerificationId);
    private static readonly VerificationIdRequestValidator<CancelVerificationRequest> CancelValidator = new(r => r.VerificationId);

    public static ServiceDescriptor Descriptor => VerifyReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<VerificationGrpcService> binder) => binder
        .AddUnaryMethod<StartVerificationRequest, StartVerificationResponse>("StartVerification", (s, r, c) => s.StartAsync(r, c))
        .AddUnaryMethod<CheckVerificationRequest, CheckVerificationResponse>("CheckVerification", (s, r, c) => s.CheckAsync(r, c))
        .AddUnaryMethod<GetVerificationRequest, Verify.V1.Verification>("GetVerification", (s, r, c) => s.GetAsync(r, c))
        .AddUnaryMethod<CancelVerificationRequest, Verify.V1.Verification>("CancelVerification", (s, r, c) => s.CancelAsync(r, c));

    private async Task<StartVerificationResponse> StartAsync(StartVerificationRequest request, ServerCallContext context)
    {
        var parsed = Validate(startValidator, request);
        var input = new StartInput(
            (PhoneNumber)parsed[ValidationKeys.Phone],
            (VerificationPolicy)parsed[ValidationKeys.Policy],
            request.Locale.Length > 0 ? request.Locale : null,
            request.ClientIp.Length > 0 ? FieldRules.CanonicalIp(request.ClientIp) : null,
            VerificationMapper.ToDomain(request.Transaction),
            request.IdempotencyKey.Length > 0 ? request.IdempotencyKey : null);

        return await OrUnavailable(() => verifier.StartAsync(input, context.CancellationToken)) switch
        {
            StartOutcome.Started started => new StartVerificationResponse { Verification = VerificationMapper.ToProto(started.Record) },
            StartOutcome.Throttled throttled => throw VerifyErrors.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter),
            _ => throw VerifyErrors.SendFailed(),
        };
    }

    private async Task<CheckVerificationResponse> CheckAsync(CheckVerificationRequest request, ServerCallContext context)
    {
        var parsed = Validate(checkValidator, request);
        var input = new CheckInput(
            request.VerificationId.Length > 0 ? request.VerificationId : null,
            parsed.TryGetValue(ValidationKeys.Phone, out var phone) ? (PhoneNumber)phone : null,
            request.Purpose.Length > 0 ? request.Purpose : null,
            request.Code,
            VerificationMapper.ToDomain(request.Transaction),
            request.ClientIp.Length > 0 ? FieldRules.CanonicalIp(request.ClientIp) : null);

        return await OrUnavailable(() => verifier.CheckAsync(input, context.CancellationToken)) switch
        {
            CheckResult.Checked check => ToResponse(check),
            CheckResult.Malformed malformed => throw VerifyErrors.InvalidCode(malformed.ExpectedLength),
            _ => throw VerifyErrors.NotFound(),
        };
    }

    private async Task<Verify.V1.Verification> GetAsync(GetVerificationRequest request, ServerCallContext context)
    {
        Validate(GetValidator, request);
        var record = await OrUnavailable(() => verifier.GetAsync(request.VerificationId, context.CancellationToken));
        return record is null ? throw VerifyErrors.NotFound() : VerificationMapper.ToProto(record);
    }

    private async Task<Verify.V1.Verification> CancelAsync(CancelVerificationRequest request, ServerCallContext context)
    {
        Validate(CancelValidator, request);
        return await OrUnavailable(() => verifier.CancelAsync(request.VerificationId, context.CancellationToken)) switch
        {
            CancelResult.Canceled canceled => VerificationMapper.ToProto(canceled.Record),
            CancelResult.NotPending notPending => throw VerifyErrors.NotPending(notPending.Record),
            _ => throw VerifyErrors.NotFound(),
        };
    }

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
