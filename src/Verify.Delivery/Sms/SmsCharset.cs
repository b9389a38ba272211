namespace Verify.Delivery.Sms;

/// <summary>The data coding an SMS needs: the GSM 7-bit default alphabet when every character is in it, UCS-2 otherwise.</summary>
internal enum SmsCharset
{
    Gsm7,
    Ucs2,
}
