namespace Verify.Delivery.Providers.Vonage;

/// <summary>
/// A provider of <c>Type</c> "vonage": the Vonage (formerly Nexmo) SMS API. Sends are authenticated with
/// the API secret, or signed with the signature secret when one is set (then the API secret is never sent).
/// </summary>
internal sealed class VonageOptions
{
    public const string DefaultBaseUrl = "https://rest.nexmo.com";

    /// <summary>Where the SMS API is; only tests point it elsewhere.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The account's API key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The account's API secret: required unless <see cref="SignatureSecret"/> is set.</summary>
    public string? ApiSecret { get; set; }

    /// <summary>
    /// The account's signature secret (Dashboard → Settings). When set, every send is signed with it
    /// (the API secret is not sent: Vonage refuses a request with both, status 32), and every delivery
    /// receipt must carry a valid <c>sig</c> (signed webhooks, which Vonage support switches on).
    /// </summary>
    public string? SignatureSecret { get; set; }

    /// <summary>The signature method chosen in the Dashboard: md5hash (Vonage's default), md5, sha1, sha256 or sha512 (the last four are HMACs).</summary>
    public string SignatureMethod { get; set; } = "md5hash";

    /// <summary>The sender: a number (digits, E.164 without "+") or an alphanumeric sender ID of up to 11 characters.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Without a signature secret, delivery receipts are authenticated by this token: Verify's callback
    /// URL carries it as <c>?token=…</c> and a receipt without it is refused. At least 32 characters.
    /// Ignored when <see cref="SignatureSecret"/> is set.
    /// </summary>
    public string? ReceiptToken { get; set; }
}
