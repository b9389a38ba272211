using Grpc.Core;
using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Delivery.Phones;
using Verify.Server.Security;
using Verify.Server.Validation;
using Verify.V1;
using Verify.Engine.Verification;

namespace Verify.Server.Verification;

/// <summary>
/// <c>verify.v1.VerificationService</c>: maps proto to the engine and back, and turns every outcome into
/// the answer the contract names; refusals are answered (<see cref="Refusal"/>), not thrown.
/// The caller, validation, authorization and the audit line come from
/// <see cref="CallerInterceptor"/>; no OTP logic lives here.
/// </summary>
internal sealed class VerificationGrpcService(Verifier verifier) : VerificationService.VerificationServiceBase
{
    public override async Task<StartVerificationResponse> StartVerification(StartVerificationRequest request, ServerCallContext context)
    {
        var (caller, entry, parsed) = Scope(context);
        var policy = (VerificationPolicy)parsed[ValidationKeys.Policy];
        var input = new StartInput(
            (PhoneNumber)parsed[ValidationKeys.Phone],
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

        switch (await verifier.StartAsync(input, context.CancellationToken))
        {
            case StartOutcome.Started started:
                (entry.VerificationId, entry.Outcome) = (started.Record.Id, started.Replayed ? "replayed" : "sent");
                return new StartVerificationResponse { Verification = VerificationMapper.ToProto(started.Record) };
            case StartOutcome.Throttled throttled:
                entry.Outcome = "throttled:" + throttled.Subject;
                return Refusal.Answer<StartVerificationResponse>(context, VerifyErrors.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter));
            case StartOutcome.Refused refused:
                entry.Outcome = "country_not_allowed";
                return Refusal.Answer<StartVerificationResponse>(context, VerifyErrors.CountryNotAllowed(refused.Reason));
            case StartOutcome.LineTypeNotAllowed lineType:
                entry.Outcome = "line_type_not_allowed";
                return Refusal.Answer<StartVerificationResponse>(context, VerifyErrors.LineTypeNotAllowed(lineType.Reason, lineType.LineType));
            case StartOutcome.ChannelUnavailable unavailable:
                entry.Outcome = "invalidargument";
                return Refusal.Answer<StartVerificationResponse>(context, VerifyErrors.ChannelUnavailable(unavailable.Reason));
            default:
                entry.Outcome = "send_failed";
                return Refusal.Answer<StartVerificationResponse>(context, VerifyErrors.SendFailed());
        }
    }

    public override async Task<CheckVerificationResponse> CheckVerification(CheckVerificationRequest request, ServerCallContext context)
    {
        var (caller, entry, parsed) = Scope(context);
        var input = new CheckInput(
            request.VerificationId.Length > 0 ? request.VerificationId : null,
            parsed.TryGetValue(ValidationKeys.Phone, out var phone) ? (PhoneNumber)phone : null,
            request.Purpose.Length > 0 ? request.Purpose : null,
            request.Code,
            VerificationMapper.ToDomain(request.Transaction),
            request.ClientIp.Length > 0 ? FieldRules.CanonicalIp(request.ClientIp) : null)
        {
            Owner = caller.OwnerTag,
            CallerName = caller.Name,
        };

        switch (await verifier.CheckAsync(input, context.CancellationToken))
        {
            case CheckOutcome.Checked check:
                Describe(entry, check.Record);
                entry.Outcome = Verifier.OutcomeOf(check);
                return ToResponse(check);
            case CheckOutcome.Malformed malformed:
                entry.Outcome = "malformed_code";
                return Refusal.Answer<CheckVerificationResponse>(context, VerifyErrors.InvalidCode(malformed.ExpectedLength));
            case CheckOutcome.Throttled throttled:
                entry.Outcome = "throttled:" + throttled.Subject;
                return Refusal.Answer<CheckVerificationResponse>(context, VerifyErrors.Throttled(throttled.Subject, throttled.Description, throttled.RetryAfter));
            default:
                entry.Outcome = "not_found";
                return Refusal.Answer<CheckVerificationResponse>(context, VerifyErrors.NotFoundStatus);
        }
    }

    public override async Task<Verify.V1.Verification> GetVerification(GetVerificationRequest request, ServerCallContext context)
    {
        var (caller, entry, _) = Scope(context);
        var record = await verifier.GetAsync(request.VerificationId, caller.OwnerTag, context.CancellationToken);
        if (record is null)
        {
            entry.Outcome = "not_found";
            return Refusal.Answer<Verify.V1.Verification>(context, VerifyErrors.NotFoundStatus);
        }

        Describe(entry, record);
        entry.Outcome = "found";
        return VerificationMapper.ToProto(record);
    }

    public override async Task<Verify.V1.Verification> CancelVerification(CancelVerificationRequest request, ServerCallContext context)
    {
        var (caller, entry, _) = Scope(context);
        switch (await verifier.CancelAsync(request.VerificationId, caller.OwnerTag, context.CancellationToken))
        {
            case CancelOutcome.Canceled canceled:
                Describe(entry, canceled.Record);
                entry.Outcome = "canceled";
                return VerificationMapper.ToProto(canceled.Record);
            case CancelOutcome.NotPending notPending:
                Describe(entry, notPending.Record);
                entry.Outcome = "not_pending";
                return Refusal.Answer<Verify.V1.Verification>(context, VerifyErrors.NotPending(notPending.Record));
            default:
                entry.Outcome = "not_found";
                return Refusal.Answer<Verify.V1.Verification>(context, VerifyErrors.NotFoundStatus);
        }
    }

    private static (Caller Caller, AuditEvent Entry, IDictionary<string, object> Parsed) Scope(ServerCallContext context)
    {
        var scope = CallScope.Of(context);
        return (scope.Caller, scope.Audit, scope.Parsed);
    }

    private static void Describe(AuditEvent entry, VerificationRecord record) =>
        (entry.VerificationId, entry.Purpose, entry.MaskedPhone) = (record.Id, record.Purpose, PhoneMasking.MaskStored(record.PhoneNumber));

    private static CheckVerificationResponse ToResponse(CheckOutcome.Checked check)
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
}
