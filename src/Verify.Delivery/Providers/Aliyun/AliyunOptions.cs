namespace Verify.Delivery.Providers.Aliyun;

/// <summary>
/// A provider of <c>Type</c> "aliyun" (Alibaba Cloud Short Message Service, Dysmsapi 2017-05-25 SendSms)
/// under <c>Verify:Delivery:Providers:&lt;name&gt;</c>. Alibaba Cloud only sends registered templates
/// under a registered signature, so each of Verify's templates is mapped to a template code.
/// </summary>
internal sealed class AliyunOptions
{
    public const string DefaultBaseUrl = "https://dysmsapi.aliyuncs.com";

    public const string DefaultRegionId = "cn-hangzhou";

    /// <summary>The RAM user's AccessKey ID. Required.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The RAM user's AccessKey secret (signs every request). Required; a secret: configuration only.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>The approved signature name (SignName), e.g. "阿里云短信测试". Required.</summary>
    public string? SignName { get; set; }

    /// <summary>The RegionId common parameter; "cn-hangzhou" serves dysmsapi.aliyuncs.com.</summary>
    public string RegionId { get; set; } = DefaultRegionId;

    /// <summary>Scheme and host only; tests point it at a local server.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>
    /// Verify's template ("{purpose}/{locale}", e.g. "login/zh-CN"), or a purpose alone ("login"), to the
    /// approved TemplateCode, e.g. "SMS_154950909". Looked up as "login/zh-CN", then "login/zh", then "login";
    /// case-insensitive. At least one entry.
    /// </summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Which of Verify's template parameters go into TemplateParam, and under which variable names:
    /// Verify's name ("code", "minutes", "amount", "currency", "payee") to the template's variable name,
    /// e.g. { "code": "code", "minutes": "ttl" }. Empty: every parameter under Verify's own name.
    /// </summary>
    public Dictionary<string, string> TemplateParameters { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Alibaba Cloud does not sign its delivery-report pushes: the receipt URL configured at its console
    /// carries this token, <c>{PublicBaseUrl}/delivery/receipts/{name}?token=…</c>. Unset: every push is refused.
    /// At least 16 characters of A–Z, a–z, 0–9, '-', '_', '.', '~' (so it needs no escaping in the URL).
    /// </summary>
    public string? ReceiptToken { get; set; }

    /// <summary>The template code for <paramref name="message"/>: its exact template, then its language, then its purpose.</summary>
    public string? TemplateFor(SmsMessage message) => ProviderTemplates.Resolve(Templates, message, byLanguage: true);

    /// <summary>TemplateParam's entries: the mapped parameters under their template names, or all of them as they are.</summary>
    public Dictionary<string, string> TemplateParamFor(SmsMessage message)
    {
        if (TemplateParameters.Count == 0)
        {
            return new Dictionary<string, string>(message.TemplateParameters, StringComparer.Ordinal);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ours, theirs) in TemplateParameters)
        {
            // A provider serves several purposes with one mapping: a login has no "amount" to send.
            if (ProviderTemplates.Lookup(message.TemplateParameters, ours) is { } value)
            {
                values[theirs] = value;
            }
        }

        return values;
    }
}
