namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// How the SMSC writes message ids. SMPP v3.4 means the id in a receipt to be the one submit_sm_resp
/// returned, but some SMSCs (SMPP 3.3 habits) return it in hexadecimal and report it in decimal, or the
/// reverse. With a conversion configured, the provider message id becomes the decimal form of the id on
/// both sides (as Kannel's msg-id-type does), so a receipt matches whichever replica took it.
/// </summary>
internal enum SmppMessageIdFormat
{
    /// <summary>Both the same: the ids are compared exactly as the SMSC writes them.</summary>
    AsIs,

    /// <summary>submit_sm_resp's id is hexadecimal, the receipt's decimal.</summary>
    SubmitHexReceiptDecimal,

    /// <summary>submit_sm_resp's id is decimal, the receipt's hexadecimal.</summary>
    SubmitDecimalReceiptHex,
}
