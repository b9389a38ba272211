using System.Globalization;
using System.Text;

namespace Verify.Engine.Messages;

/// <summary>
/// Makes a caller's value (payee, amount, currency) safe to put inside an SMS. Request validation already
/// rejects these characters; this is the second line, so a missed rule cannot let a caller lay out a
/// fake message: no line breaks (a payee could otherwise start "its own" paragraph under the brand), no
/// control characters, no bidirectional overrides (RLO can make "moc.knab" read as "bank.com"), no
/// unpaired surrogates (not encodable in an SMS).
/// </summary>
internal static class MessageValueSanitizer
{
    /// <summary>
    /// Line breaks and tabs become one space (so words stay apart), every other unsafe character is
    /// removed, and the result is trimmed. Returns the same instance when nothing needs changing.
    /// </summary>
    public static string Clean(string value)
    {
        var firstBad = FirstUnsafe(value);
        if (firstBad < 0 && (value.Length == 0 || !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[++i]);
                }

                continue;
            }

            if (IsBreak(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }

                continue;
            }

            if (!IsUnsafe(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    private static int FirstUnsafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsBreak(c) || IsUnsafe(c))
            {
                return i;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return i;
                }

                i++;
            }
        }

        return -1;
    }

    private static bool IsBreak(char c) =>
        c is '\n' or '\r' or '\t' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    // Cc covers C0, DEL and C1. The bidi controls are the embeddings/overrides/isolates and the marks
    // ALM, LRM, RLM; other format characters (ZWJ, ZWNJ) stay, as some scripts and emoji need them.
    private static bool IsUnsafe(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
