using Google.Protobuf.WellKnownTypes;
using Verify.Delivery;
using Verify.Engine.Codes;
using Verify.Delivery.Phones;
using Verify.V1;
using Verify.Engine.Verification;

namespace Verify.Server.Verification;

/// <summary>Domain ⇄ proto.</summary>
internal static class VerificationMapper
{
    public static Verify.V1.Verification ToProto(VerificationRecord record) => new()
    {
        Id = record.Id,
        Purpose = record.Purpose,
        Channel = record.Channel == Delivery.DeliveryChannel.Voice ? Channel.Voice : Channel.Sms,
        Status = ToProto(record.Status),
        MaskedPhoneNumber = PhoneMasking.MaskStored(record.PhoneNumber),
        ExpiresAt = Timestamp.FromDateTimeOffset(record.ExpiresAt),
        NextSendAt = Timestamp.FromDateTimeOffset(record.NextSendAt),
        AttemptsRemaining = record.Status is VerificationState.Pending ? record.AttemptsRemaining : 0,
        SendCount = record.SendCount,
        DeliveryStatus = ToProto(record.DeliveryStatus),
        CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
        Locale = record.Locale,
    };

    public static VerificationStatus ToProto(VerificationState state) => state switch
    {
        VerificationState.Pending => VerificationStatus.Pending,
        VerificationState.Approved => VerificationStatus.Approved,
        VerificationState.Canceled => VerificationStatus.Canceled,
        VerificationState.Expired => VerificationStatus.Expired,
        VerificationState.MaxAttemptsReached => VerificationStatus.MaxAttemptsReached,
        VerificationState.Failed => VerificationStatus.Failed,
        _ => VerificationStatus.Unspecified,
    };

    public static DeliveryStatus ToProto(DeliveryState state) => state switch
    {
        DeliveryState.Queued => DeliveryStatus.Queued,
        DeliveryState.Sent => DeliveryStatus.Sent,
        DeliveryState.Delivered => DeliveryStatus.Delivered,
        DeliveryState.Undelivered => DeliveryStatus.Undelivered,
        DeliveryState.Failed => DeliveryStatus.Failed,
        _ => DeliveryStatus.Unspecified,
    };

    public static TransactionDetails? ToDomain(Transaction? transaction) =>
        transaction is null ? null : TransactionDetails.Create(transaction.Amount, transaction.Currency, transaction.Payee);
}
