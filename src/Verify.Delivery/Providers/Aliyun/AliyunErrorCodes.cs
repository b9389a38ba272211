using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// Which SendSms error codes (Alibaba Cloud SMS "API错误码") refuse the message itself: its number, its
/// destination, its content or template values, the per-number flow control, or a signature or template
/// of ours that does not serve it. Everything else, credentials (SignatureDoesNotMatch,
/// InvalidAccessKeyId.*), throttling (Throttling.*), balance and account state (isv.AMOUNT_NOT_ENOUGH,
/// isv.OUT_OF_SERVICE, isv.ACCOUNT_ABNORMAL), account-wide day and month limits, isp.* system errors and
/// any code not known here, counts against the breaker.
/// </summary>
internal static class AliyunErrorCodes
{
    private static readonly FrozenSet<string> MessageRefusals = new[]
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "isv.DOMESTIC_NUMBER_NOT_SUPPORTED", // an international template to a mainland number
        "isv.BUSINESS_LIMIT_CONTROL",        // per-number flow control (1/min, 5/h, 10/day)
        "isv.BLACK_KEY_CONTROL_LIMIT",       // a blacklisted keyword in the template values
        "isv.SMS_CONTENT_ILLEGAL",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.PARAM_NOT_SUPPORT_URL",
        "isv.INVALID_JSON_PARAM",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.SMS_TEMPLATE_ILLEGAL",          // the template mapped for this purpose is not approved
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.SMS_SIGN_ILLEGAL",
        "isv.SIGN_STATE_ILLEGAL",
        "isv.SMS_SIGNATURE_SCENE_ILLEGAL",   // signature and template types do not match
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the code refuses this message (false: Alibaba Cloud or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(string? code) => code is not null && MessageRefusals.Contains(code);
}
