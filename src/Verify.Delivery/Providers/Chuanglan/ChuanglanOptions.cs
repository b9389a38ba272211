namespace Verify.Delivery.Providers.Chuanglan;

/// <summary>
/// Chuanglan 253 (创蓝) domestic SMS JSON API, a provider of <c>Type</c> "chuanglan" under
/// <c>Verify:Delivery:Providers:&lt;name&gt;</c>. Sends the rendered text to mainland China numbers.
/// </summary>
internal sealed class ChuanglanOptions
{
    public const string DefaultBaseUrl = "https://smssh1.253.com";

    /// <summary>The API host of the account (the console shows it); messages go to {BaseUrl}/msg/send/json.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The API account (not the console login), e.g. "N6000001".</summary>
    public string? Account { get; set; }

    /// <summary>The API account's password (API key).</summary>
    public string? Password { get; set; }

    /// <summary>The registered signature, without brackets: prepended as 【Signature】 when the text does not start with 【. Unset: the account's default signature.</summary>
    public string? Signature { get; set; }

    /// <summary>
    /// The secret the status-report URL configured in Chuanglan's console must carry as <c>?token=</c>.
    /// Unset: the receipt endpoint refuses everything. 16 to 128 characters of A-Z a-z 0-9 - _ . ~
    /// </summary>
    public string? ReceiptToken { get; set; }

    /// <summary>When Chuanglan support configured a push username ("receiver"), the value it must carry; unset: not checked.</summary>
    public string? ReceiptReceiver { get; set; }

    /// <summary>When Chuanglan support configured a push password ("pswd"), the value it must carry; unset: not checked.</summary>
    public string? ReceiptPassword { get; set; }
}
