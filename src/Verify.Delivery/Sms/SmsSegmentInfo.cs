namespace Verify.Delivery.Sms;

/// <summary>What a text costs as SMS.</summary>
/// <param name="Charset">GSM-7 when every character is in the GSM 03.38 tables, UCS-2 otherwise.</param>
/// <param name="Units">
/// GSM-7: septets, an extension-table character counting 2 (escape + character). UCS-2: UTF-16 code
/// units, a surrogate pair (emoji, rare CJK) counting 2. Padding left at the end of a segment is not counted.
/// </param>
/// <param name="Segments">SMS messages the text is sent as (and billed as); at least 1.</param>
/// <param name="UnitsPerSegment">160 (GSM-7) or 70 (UCS-2) for a single SMS; 153 or 67 per part once concatenated.</param>
/// <param name="RemainingInLastSegment">Units that still fit into the last segment before another one is needed.</param>
internal readonly record struct SmsSegmentInfo(
    SmsCharset Charset,
    int Units,
    int Segments,
    int UnitsPerSegment,
    int RemainingInLastSegment);
