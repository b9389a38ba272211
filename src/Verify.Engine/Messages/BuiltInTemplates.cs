namespace Verify.Engine.Messages;

/// <summary>
/// The texts used when configuration has none: login, signup, payment and any other purpose ("*"), in
/// English and Simplified Chinese. Each tells the user never to share the code; payment texts show
/// amount, currency and payee, which the code is bound to (PSD2 RTS art. 5, dynamic linking).
/// </summary>
/// <remarks>
/// Lengths, checked by rendering every template with the longest values of
/// <see cref="MessageTemplateCatalog.FindMultiSegmentTemplates"/> (10-digit code, "10" minutes, amount
/// "99999999.99", "EUR", 20-character payee) in BuiltInTemplatesTests:
/// <list type="bullet">
/// <item>en (GSM-7, 160 septets in one SMS): the longest, payment, is 126 septets with brand "Verify"
/// and 140 with a 20-character brand, so every en text is one SMS for 6 to 10 digit codes, any brand
/// of GSM-7 characters, and even a 40-character payee. A brand or payee outside GSM-7 turns the whole
/// text into UCS-2 (70 units), which the start-up check reports.</item>
/// <item>zh-CN (UCS-2, 70 units): login, signup and "*" are at most 57 units with a 20-character
/// brand and a 10-digit code. Payment is 70 units exactly with brand "Verify" and a 10-digit code, so
/// it is one SMS with the defaults; a longer brand, a payee over 20 characters or a longer amount makes
/// it two, which the start-up check reports. The signature 【brand】 opens every Chinese text, as Chinese
/// carriers require.</item>
/// </list>
/// </remarks>
internal static class BuiltInTemplates
{
    /// <summary>The purpose key of the templates for any purpose without its own.</summary>
    public const string AnyPurpose = "*";

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["login"] = Locales(
                en: "{brand}: {code} is your login code. Valid for {minutes} min. Do not share it with anyone.",
                zhCN: "【{brand}】您的登录验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。"),
            ["signup"] = Locales(
                en: "{brand}: {code} is your sign-up code. Valid for {minutes} min. Do not share it with anyone.",
                zhCN: "【{brand}】您的注册验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。"),
            ["payment"] = Locales(
                en: "{brand}: {code} is your code to pay {amount} {currency} to {payee}. Valid for {minutes} min. Do not share it with anyone.",
                // Terser than the others (分钟有效, 勿泄露, no closing 。) to stay within 70 units with the longest values.
                zhCN: "【{brand}】验证码{code}，向{payee}支付{amount}{currency}，{minutes}分钟有效，勿泄露"),
            [AnyPurpose] = Locales(
                en: "{brand}: {code} is your verification code. Valid for {minutes} min. Do not share it with anyone.",
                zhCN: "【{brand}】您的验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。"),
        };

    private static IReadOnlyDictionary<string, string> Locales(string en, string zhCN) =>
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["en"] = en, ["zh-CN"] = zhCN };
}
