using System.Text;
using System.Text.RegularExpressions;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// Reads delivery receipts from deliver_sm. A deliver_sm is a receipt when its esm_class message type
/// (bits 2-5) is 0x04 (SMSC delivery receipt) or 0x20 (intermediate notification), or when it carries
/// receipted_message_id; anything else is a mobile-originated message. The message id and state come
/// from the receipted_message_id and message_state TLVs when present (SMPP v3.4 §5.3.2.12, §5.3.2.35),
/// else from the text of Appendix B: "id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…".
/// </summary>
internal static partial class SmppReceiptParser
{
    public static bool IsReceipt(SmppShortMessage deliverSm)
    {
        var type = deliverSm.EsmClass & SmppShortMessage.MessageTypeMask;
        return type is SmppShortMessage.DeliveryReceipt or SmppShortMessage.IntermediateNotification
            || deliverSm.Tlv(SmppTlv.ReceiptedMessageId) is not null;
    }

    /// <summary>The receipt, or null when it names no message id or no state.</summary>
    public static SmppReceipt? Parse(SmppShortMessage deliverSm)
    {
        // Receipt texts are ASCII in the single-octet alphabets SMSCs use for them (GSM 03.38, IA5 and
        // Latin-1 agree on letters, digits, ':' and ' '); Latin-1 reads each octet as one character
        // whatever it is. A few SMSCs write them in UCS-2.
        var body = deliverSm.Message.Length > 0 ? deliverSm.Message : deliverSm.Tlv(SmppTlv.MessagePayload)?.Value ?? [];
        var text = deliverSm.DataCoding == SmppTextEncoder.Ucs2DataCoding ? Encoding.BigEndianUnicode.GetString(body) : Encoding.Latin1.GetString(body);

        var id = deliverSm.Tlv(SmppTlv.ReceiptedMessageId) is { } receipted ? CString(receipted.Value) : Field(IdField(), text);
        var stat = deliverSm.Tlv(SmppTlv.MessageState) is { Value.Length: 1 } state ? StatOf(state.Value[0]) : Field(StatField(), text)?.ToUpperInvariant();
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(stat))
        {
            return null;
        }

        var error = Field(ErrorField(), text);
        return new SmppReceipt(id, stat, error, StateOf(stat));
    }

    /// <summary>
    /// DELIVRD: delivered. UNDELIV, EXPIRED, DELETED (and v5's SKIPPED): the network gave up, undelivered.
    /// REJECTD: the SMSC refused the message after taking it, failed. ENROUTE and ACCEPTD (read on the
    /// subscriber's behalf by customer care, §5.2.28): sent, no more is known. UNKNOWN or anything else:
    /// ignored, it says nothing the submit_sm_resp did not.
    /// </summary>
    public static DeliveryState? StateOf(string stat) => stat.ToUpperInvariant() switch
    {
        "DELIVRD" or "DELIVERED" => DeliveryState.Delivered,
        "UNDELIV" or "UNDELIVERABLE" or "EXPIRED" or "DELETED" or "SKIPPED" => DeliveryState.Undelivered,
        "REJECTD" or "REJECTED" => DeliveryState.Failed,
        "ENROUTE" or "ACCEPTD" or "ACCEPTED" => DeliveryState.Sent,
        _ => null,
    };

    /// <summary>message_state values (§5.2.28) by their receipt names.</summary>
    public static string StatOf(byte messageState) => messageState switch
    {
        1 => "ENROUTE",
        2 => "DELIVRD",
        3 => "EXPIRED",
        4 => "DELETED",
        5 => "UNDELIV",
        6 => "ACCEPTD",
        7 => "UNKNOWN",
        8 => "REJECTD",
        9 => "SKIPPED",
        _ => $"STATE{messageState}",
    };

    private static string CString(byte[] value)
    {
        var end = Array.IndexOf(value, (byte)0);
        return Encoding.Latin1.GetString(value, 0, end < 0 ? value.Length : end);
    }

    private static string? Field(Regex field, string text) => field.Match(text) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"(?:^|\s)id:(\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdField();

    [GeneratedRegex(@"(?:^|\s)stat:(\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatField();

    [GeneratedRegex(@"(?:^|\s)err:(\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ErrorField();
}
