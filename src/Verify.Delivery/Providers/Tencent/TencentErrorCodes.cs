using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// Which SendSms error codes (Tencent Cloud SMS "错误码", API 3.0) refuse the message itself: its number,
/// the per-number frequency limits (LimitExceeded.PhoneNumber*), its content or template values, a
/// destination the template or account does not serve, or a signature or template of ours that does not
/// serve it. Everything else, AuthFailure.*, UnauthorizedOperation.*, InternalError.*, RequestLimitExceeded,
/// account-wide limits (LimitExceeded.AppDailyLimit, …), the balance (FailedOperation.InsufficientBalanceInSmsPackage),
/// an unknown SdkAppId and any code not known here, counts against the breaker.
/// </summary>
internal static class TencentErrorCodes
{
    private const string PerNumberLimit = "LimitExceeded.PhoneNumber";

    private static readonly FrozenSet<string> MessageRefusals = new[]
    {
        "FailedOperation.ContainSensitiveWord",
        "FailedOperation.PhoneNumberInBlacklist",
        "FailedOperation.PhoneNumberParseFail",
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
        "FailedOperation.TemplateUnapprovedOrNotExist",
        "InvalidParameterValue.ContentLengthLimit",
        "InvalidParameterValue.IncorrectPhoneNumber",
        "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
        "InvalidParameterValue.TemplateParameterFormatError",
        "InvalidParameterValue.TemplateParameterLengthLimit",
        "LimitExceeded.DeliveryFrequencyLimit", // the console's frequency policy, per number
        "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
        "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone",
        "UnsupportedOperation.UnsupportedRegion",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the code refuses this message (false: Tencent Cloud or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(string? code) =>
        code is not null && (MessageRefusals.Contains(code) || code.StartsWith(PerNumberLimit, StringComparison.Ordinal));
}
