using System.Collections.Frozen;
using Verify.Delivery.Sms;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// Encodes a text for submit_sm and splits it into concatenated segments. SMPP carries GSM 03.38 text
/// unpacked, one septet per octet (the SMSC packs it for the air interface), so a single message holds
/// 160 septets; UCS-2 is UTF-16BE, 70 units. A longer text goes in segments of 153 septets or 67 units,
/// each after a 6-octet user data header (TS 23.040 §9.2.3.24.1: IEI 00, length 03, reference, total,
/// sequence; esm_class 0x40). An escape sequence (ESC + extension character) or a surrogate pair is
/// never split across segments. The counts agree with <see cref="SmsEncoding.Analyze"/>.
/// </summary>
internal static class SmppTextEncoder
{
    /// <summary>data_coding 0: the SMSC default alphabet, GSM 03.38 here (SMPP v3.4 §5.2.19).</summary>
    public const byte Gsm7DataCoding = 0x00;

    /// <summary>data_coding 8: UCS-2 (ISO/IEC 10646), sent big-endian.</summary>
    public const byte Ucs2DataCoding = 0x08;

    /// <summary>A user data header holds the total in one octet.</summary>
    public const int MaxSegments = 255;

    private const int UdhLength = 6;

    // The octets each character takes: its septet, or ESC and its septet in the extension table.
    private static readonly FrozenDictionary<char, byte[]> Gsm7 = BuildGsm7();

    /// <summary>
    /// Encodes <paramref name="text"/>; <paramref name="reference"/> is the concatenation reference shared
    /// by its segments. Null when it needs more than <see cref="MaxSegments"/> segments.
    /// </summary>
    public static SmppEncodedText? Encode(string text, SmppDataCoding preference, byte reference)
    {
        var gsm7 = preference == SmppDataCoding.Gsm7 ? TryGsm7Units(text) : null;
        var units = gsm7 ?? Ucs2Units(text);
        var single = gsm7 is null ? SmsEncoding.Ucs2SingleSegment * 2 : SmsEncoding.Gsm7SingleSegment;
        var part = gsm7 is null ? SmsEncoding.Ucs2ConcatenatedSegment * 2 : SmsEncoding.Gsm7ConcatenatedSegment;
        var dataCoding = gsm7 is null ? Ucs2DataCoding : Gsm7DataCoding;

        var total = units.Sum(u => u.Length);
        if (total <= single)
        {
            return new SmppEncodedText(dataCoding, [units.SelectMany(u => u).ToArray()]);
        }

        var segments = new List<List<byte>>();
        var current = new List<byte>(part);
        foreach (var unit in units)
        {
            if (current.Count + unit.Length > part)
            {
                segments.Add(current);
                current = new List<byte>(part);
            }

            current.AddRange(unit);
        }

        segments.Add(current);
        if (segments.Count > MaxSegments)
        {
            return null;
        }

        var encoded = new byte[segments.Count][];
        for (var i = 0; i < segments.Count; i++)
        {
            encoded[i] = [0x05, 0x00, 0x03, reference, (byte)segments.Count, (byte)(i + 1), .. segments[i]];
        }

        return new SmppEncodedText(dataCoding, encoded);
    }

    /// <summary>The octets of each character in GSM 03.38, or null when one is not in the alphabet.</summary>
    private static List<byte[]>? TryGsm7Units(string text)
    {
        var units = new List<byte[]>(text.Length);
        foreach (var c in text)
        {
            if (!Gsm7.TryGetValue(c, out var octets))
            {
                return null;
            }

            units.Add(octets);
        }

        return units;
    }

    /// <summary>UTF-16BE, a surrogate pair kept together as one 4-octet unit.</summary>
    private static List<byte[]> Ucs2Units(string text)
    {
        var units = new List<byte[]>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var low = text[++i];
                units.Add([(byte)(c >> 8), (byte)c, (byte)(low >> 8), (byte)low]);
            }
            else
            {
                units.Add([(byte)(c >> 8), (byte)c]);
            }
        }

        return units;
    }

    private static FrozenDictionary<char, byte[]> BuildGsm7()
    {
        var map = new Dictionary<char, byte[]>();
        for (var septet = 0; septet < Gsm7Alphabet.BasicTable.Length; septet++)
        {
            if (septet != Gsm7Alphabet.Escape)
            {
                map[Gsm7Alphabet.BasicTable[septet]] = [(byte)septet];
            }
        }

        foreach (var (septet, character) in Gsm7Alphabet.ExtensionTable)
        {
            map[character] = [Gsm7Alphabet.Escape, (byte)septet];
        }

        return map.ToFrozenDictionary();
    }
}
