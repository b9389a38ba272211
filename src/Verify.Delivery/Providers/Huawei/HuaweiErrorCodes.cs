using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Huawei;

/// <summary>
/// Which batchSendSms answers (Huawei Cloud "API错误码" and the per-number status codes) refuse the message
/// itself: the format of its parameters (E000503: template values, number), a destination the application
/// does not serve, template values or a template of ours that does not fit. Everything else, the X-WSSE and
/// app_key errors (E000001–E000111), a frozen account (E000112), a client IP outside the whitelist
/// (E000620), a sender channel mismatch (E200018), system errors (E000000, E000510) and any code not known
/// here, counts against the breaker.
/// </summary>
internal static class HuaweiErrorCodes
{
    private static readonly FrozenSet<string> MessageRefusals = new[]
    {
        "E000503", // parameter format: special characters in template values, the number
        "E200024", // international SMS not enabled for this destination
        "E200028", // template variables do not pass validation
        "E200029", // template type does not pass validation
        "E200030", // template not active
        "E200033", // wrong template type
        "E200041", // the same content to the same number repeated
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the code refuses this message (false: Huawei or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(string code) => MessageRefusals.Contains(code);
}
