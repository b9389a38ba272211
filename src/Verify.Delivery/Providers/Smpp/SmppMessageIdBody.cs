namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// The body of submit_sm_resp (§4.4.2) and deliver_sm_resp (§4.6.2): message_id, a C-Octet String of at
/// most 65 octets (NULL in deliver_sm_resp). An error answer may carry no body at all.
/// </summary>
internal static class SmppMessageIdBody
{
    public const int MessageIdMax = 65;

    public static byte[] Encode(string messageId) => new SmppPduWriter().CString(messageId, MessageIdMax).ToArray();

    public static string Decode(ReadOnlySpan<byte> body) => body.IsEmpty ? string.Empty : new SmppPduReader(body).CString(MessageIdMax);
}
