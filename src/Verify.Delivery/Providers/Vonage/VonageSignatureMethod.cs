namespace Verify.Delivery.Providers.Vonage;

/// <summary>Vonage's signature methods, by the names its Dashboard and SDKs use.</summary>
internal enum VonageSignatureMethod
{
    /// <summary>"MD5 hash": MD5 of the signed string followed by the secret; lower-case hex.</summary>
    Md5Hash,

    /// <summary>HMAC-MD5 keyed with the secret; upper-case hex (as the SDKs send; checked case-insensitively).</summary>
    Md5,

    Sha1,

    Sha256,

    Sha512,
}
