namespace Verify.Delivery.Providers.Huawei;

/// <summary>
/// Huawei Cloud Message &amp; SMS (batchSendSms v1), a provider of <c>Type</c> "huawei" under
/// <c>Verify:Delivery:Providers:&lt;name&gt;</c>. Huawei sends registered templates only.
/// </summary>
internal sealed class HuaweiOptions
{
    /// <summary>Used when <see cref="TemplateParameters"/> is unset: the template's only placeholder is the code.</summary>
    public static readonly string[] DefaultTemplateParameters = ["code"];

    /// <summary>The application's access address from the console (e.g. https://smsapi.cn-north-4.myhuaweicloud.com:443). Required: it differs per region.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The application's app_key (the X-WSSE Username).</summary>
    public string? AppKey { get; set; }

    /// <summary>The application's app_secret: it only enters the PasswordDigest, never the wire.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The channel number of the signature (domestic) or the international channel number: the "from" field.</summary>
    public string? Sender { get; set; }

    /// <summary>The signature name, sent as "signature": needed with domestic generic templates only.</summary>
    public string? Signature { get; set; }

    /// <summary>Our template ids ("login/en", or a purpose alone: "login") to Huawei template ids; the exact id wins over the purpose.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The template's placeholders in order, by name ("code", "minutes", "amount", "currency", "payee"); unset: ["code"].</summary>
    public string[]? TemplateParameters { get; set; }


    /// <summary>
    /// The secret Huawei's status reports must carry as <c>?token=</c> (Huawei signs nothing by default).
    /// Unset: no statusCallback is sent and the receipt endpoint refuses everything. 16 to 128 characters of A-Z a-z 0-9 - _ . ~
    /// </summary>
    public string? ReceiptToken { get; set; }
}
