namespace Verify.Delivery.Sms;

/// <summary>
/// The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1, formerly GSM 03.38),
/// written out here as data so the encoding decision does not depend on a library or a gateway's guess.
/// National language shift tables (Turkish, Spanish, Portuguese, Indian scripts; §6.2.1.2) are not used:
/// gateways rarely enable them, and counting without them never under-estimates the cost.
/// </summary>
internal static class Gsm7Alphabet
{
    /// <summary>
    /// The basic table, indexed by septet value: row n holds 0xn0..0xnF. 0x1B is ESC (the switch to the
    /// extension table), not a character: it stands here as U+001B and is skipped when the lookup is built,
    /// so a U+001B in a text is not GSM-7. 0x09 is capital Ç (TS 23.038; some phones show ç, but a small ç
    /// in a text is not in the table). 0x24 is ¤, not $ ($ is 0x02); 0x40 is ¡ and @ is 0x00; 0x60 is ¿,
    /// so the ASCII backquote ` is not in GSM-7 at all.
    /// </summary>
    public static readonly string BasicTable =
        "@£$¥èéùìòÇ\nØø\rÅå" +   // 0x00
        "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ" + // 0x10 (Greek capitals; ESC at 0x1B)
        " !\"#¤%&'()*+,-./" +     // 0x20
        "0123456789:;<=>?" +      // 0x30
        "¡ABCDEFGHIJKLMNO" +      // 0x40
        "PQRSTUVWXYZÄÖÑÜ§" +      // 0x50
        "¿abcdefghijklmno" +      // 0x60
        "pqrstuvwxyzäöñüà";       // 0x70

    /// <summary>The septet at which <see cref="BasicTable"/> holds ESC.</summary>
    public const int Escape = 0x1B;

    /// <summary>
    /// The extension table: each character is sent as ESC followed by the septet shown, so it costs 2
    /// septets and the two cannot be split across concatenated segments. The other positions are
    /// unassigned (a receiver shows the basic-table character instead) or reserved (0x0D CR2, 0x1B a
    /// further extension), so no text maps to them.
    /// </summary>
    public static readonly IReadOnlyList<(int Septet, char Character)> ExtensionTable =
    [
        (0x0A, '\f'), // FORM FEED (page break)
        (0x14, '^'),
        (0x28, '{'),
        (0x29, '}'),
        (0x2F, '\\'),
        (0x3C, '['),
        (0x3D, '~'),
        (0x3E, ']'),
        (0x40, '|'),
        (0x65, '€'),
    ];

    // One byte per UTF-16 code unit up to the highest mapped character (€, U+20AC): 0 = not GSM-7, 1 or 2 septets.
    // 8 KiB buys a branch-free lookup on the render path.
    private static readonly byte[] Costs = BuildCosts();

    /// <summary>Septets <paramref name="c"/> takes in GSM-7: 1 (basic table), 2 (extension table) or 0 (not representable).</summary>
    public static int SeptetCost(char c) => c < Costs.Length ? Costs[c] : 0;

    private static byte[] BuildCosts()
    {
        var highest = Math.Max(BasicTable.Max(), ExtensionTable.Max(e => e.Character));
        var costs = new byte[highest + 1];
        for (var septet = 0; septet < BasicTable.Length; septet++)
        {
            if (septet != Escape)
            {
                costs[BasicTable[septet]] = 1;
            }
        }

        foreach (var (_, character) in ExtensionTable)
        {
            costs[character] = 2;
        }

        return costs;
    }
}
