namespace Verify.Delivery.Providers.Tencent;

/// <summary>
/// A provider of <c>Type</c> "tencent" (Tencent Cloud SMS, API 3.0 SendSms, version 2021-01-11) under
/// <c>Verify:Delivery:Providers:&lt;name&gt;</c>. Tencent Cloud only sends approved templates, whose
/// variables are positional ({1}, {2}, …), so each of Verify's templates is mapped to a template ID and
/// <see cref="TemplateParameters"/> orders the values.
/// </summary>
internal sealed class TencentOptions
{
    public const string DefaultBaseUrl = "https://sms.tencentcloudapi.com";

    public const string DefaultRegion = "ap-guangzhou";

    /// <summary>Used when <see cref="TemplateParameters"/> is empty: "{1}" is the code and "{2}" its minutes.</summary>
    public static readonly IReadOnlyList<string> DefaultTemplateParameters = ["code", "minutes"];

    /// <summary>The API key's SecretId. Required.</summary>
    public string? SecretId { get; set; }

    /// <summary>The API key's SecretKey (signs every request). Required; a secret: configuration only.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The SMS application's SdkAppId, e.g. "1400006666". Required.</summary>
    public string? SmsSdkAppId { get; set; }

    /// <summary>The approved signature (SignName). Tencent requires it for Chinese mainland numbers; a send there without it fails.</summary>
    public string? SignName { get; set; }

    /// <summary>X-TC-Region, e.g. "ap-guangzhou", "ap-beijing", "ap-nanjing" (or "ap-singapore" for the international site).</summary>
    public string Region { get; set; } = DefaultRegion;

    /// <summary>Scheme and host only; the host is also the signed Host header. Tests point it at a local server.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The international Sender ID, sent only to numbers outside the Chinese mainland. Optional.</summary>
    public string? SenderId { get; set; }

    /// <summary>
    /// Verify's template ("{purpose}/{locale}", e.g. "login/zh-CN"), or a purpose alone ("login"), to the
    /// approved TemplateId, e.g. "1110". Looked up as "login/zh-CN", then "login/zh", then "login";
    /// case-insensitive. At least one entry.
    /// </summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// TemplateParamSet, in order: Verify's parameter names ("code", "minutes", "amount", "currency",
    /// "payee") for the template's {1}, {2}, …. Empty: ["code", "minutes"]. A send whose message lacks one fails.
    /// </summary>
    public List<string> TemplateParameters { get; set; } = [];

    /// <summary>
    /// Tencent Cloud does not sign its status callbacks: the callback URL configured at its console
    /// carries this token, <c>{PublicBaseUrl}/delivery/receipts/{name}?token=…</c>. Unset: every callback is refused.
    /// At least 16 characters of A–Z, a–z, 0–9, '-', '_', '.', '~' (so it needs no escaping in the URL).
    /// </summary>
    public string? ReceiptToken { get; set; }

    /// <summary>The template ID for <paramref name="message"/>: its exact template, then its language, then its purpose.</summary>
    public string? TemplateFor(SmsMessage message) => ProviderTemplates.Resolve(Templates, message, byLanguage: true);

    /// <summary>TemplateParamSet for <paramref name="message"/>, or the first parameter it lacks (positions cannot be skipped).</summary>
    public IReadOnlyList<string> TemplateParamSetFor(SmsMessage message, out string? missing)
    {
        ProviderTemplates.TryValues(TemplateParameters.Count == 0 ? DefaultTemplateParameters : TemplateParameters, message, out var values, out missing);
        return values;
    }
}
