namespace Verify.Delivery.Sms;

/// <summary>
/// How a text is encoded and split into SMS (3GPP TS 23.038 for the alphabet, TS 23.040 §9.2.3.24.1 for
/// concatenation). A single SMS carries 140 octets: 160 septets or 70 UCS-2 units. A concatenated part
/// spends 6 octets on its user data header, leaving 153 septets or 67 units.
/// </summary>
internal static class SmsEncoding
{
    public const int Gsm7SingleSegment = 160;
    public const int Gsm7ConcatenatedSegment = 153;
    public const int Ucs2SingleSegment = 70;
    public const int Ucs2ConcatenatedSegment = 67;

    /// <summary>
    /// Counts the charset, units and segments of <paramref name="text"/>. The empty string is one segment
    /// of 0 units: a message is still sent (and billed) even with no text, so it is never 0 segments.
    /// </summary>
    public static SmsSegmentInfo Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var septets = 0;
        foreach (var c in text)
        {
            var cost = Gsm7Alphabet.SeptetCost(c);
            if (cost == 0)
            {
                return AnalyzeUcs2(text);
            }

            septets += cost;
        }

        if (septets <= Gsm7SingleSegment)
        {
            return new SmsSegmentInfo(SmsCharset.Gsm7, septets, 1, Gsm7SingleSegment, Gsm7SingleSegment - septets);
        }

        // An escape sequence (ESC + character) must arrive in one part, or the receiver shows the
        // basic-table character instead: when only 1 septet is left, the part is padded and the
        // sequence starts the next one. So count by filling parts, not by dividing.
        var segments = 1;
        var used = 0;
        foreach (var c in text)
        {
            var cost = Gsm7Alphabet.SeptetCost(c);
            if (used + cost > Gsm7ConcatenatedSegment)
            {
                segments++;
                used = 0;
            }

            used += cost;
        }

        return new SmsSegmentInfo(SmsCharset.Gsm7, septets, segments, Gsm7ConcatenatedSegment, Gsm7ConcatenatedSegment - used);
    }

    private static SmsSegmentInfo AnalyzeUcs2(string text)
    {
        if (text.Length <= Ucs2SingleSegment)
        {
            return new SmsSegmentInfo(SmsCharset.Ucs2, text.Length, 1, Ucs2SingleSegment, Ucs2SingleSegment - text.Length);
        }

        // A surrogate pair split across parts arrives as two broken halves; senders (Android's
        // SmsMessage among them) move the pair to the next part, as with GSM-7 escapes.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + cost > Ucs2ConcatenatedSegment)
            {
                segments++;
                used = 0;
            }

            used += cost;
            i += cost - 1;
        }

        return new SmsSegmentInfo(SmsCharset.Ucs2, text.Length, segments, Ucs2ConcatenatedSegment, Ucs2ConcatenatedSegment - used);
    }
}
