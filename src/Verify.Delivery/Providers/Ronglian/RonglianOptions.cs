namespace Verify.Delivery.Providers.Ronglian;

/// <summary>
/// Ronglian Cloud (容联云通讯) template SMS REST API, a provider of <c>Type</c> "ronglian" under
/// <c>Verify:Delivery:Providers:&lt;name&gt;</c>. Ronglian sends registered templates only, to mainland China numbers.
/// </summary>
internal sealed class RonglianOptions
{
    public const string DefaultBaseUrl = "https://app.cloopen.com:8883";

    /// <summary>Used when <see cref="TemplateParameters"/> is unset: {1} is the code.</summary>
    public static readonly string[] DefaultTemplateParameters = ["code"];

    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The main account's ACCOUNT SID.</summary>
    public string? AccountSid { get; set; }

    /// <summary>The main account's AUTH TOKEN: it only enters the sig, never the wire.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The application's APP ID.</summary>
    public string? AppId { get; set; }

    /// <summary>Our template ids ("login/en", or a purpose alone: "login") to Ronglian template ids; the exact id wins over the purpose.</summary>
    public Dictionary<string, string> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The template's placeholders {1}, {2}, ... in order, by name ("code", "minutes", "amount", "currency", "payee"); unset: ["code"].</summary>
    public string[]? TemplateParameters { get; set; }
}
