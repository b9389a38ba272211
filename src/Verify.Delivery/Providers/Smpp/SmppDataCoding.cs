namespace Verify.Delivery.Providers.Smpp;

/// <summary>Which alphabet the provider sends texts in.</summary>
internal enum SmppDataCoding
{
    /// <summary>
    /// GSM 03.38 (data_coding 0, the SMSC default alphabet, one septet per octet) when every character is
    /// in the default alphabet or its extension table; UCS-2 (data_coding 8) otherwise.
    /// </summary>
    Gsm7,

    /// <summary>UCS-2 (data_coding 8, UTF-16BE) always: for SMSCs whose default alphabet is not GSM 03.38.</summary>
    Ucs2,
}
