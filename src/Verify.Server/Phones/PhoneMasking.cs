using System.Text;

namespace Verify.Server.Phones;

/// <summary>
/// Masks phone numbers for display and logs.
/// <para>
/// A valid number is shown as its country code, a space and the national number with its middle
/// replaced by '*': at most the first 3 and the last 4 national digits stay visible, and at least 3
/// digits are always hidden, so short national numbers show fewer leading digits (and, below 7
/// digits, fewer trailing ones): "+86 138****5678", "+44 791***0123", "+290 ***34".
/// </para>
/// <para>
/// The number is not validated again: a value of that shape ('+', 8 to 15 ASCII digits) whose
/// calling code is a country's is masked the same way, which shows no more than a valid number of
/// that length would. That keeps masking a dictionary lookup, cheap enough for every audit line.
/// </para>
/// <para>
/// Anything else (a malformed number, a value typed into the wrong field) shows at most its first 3
/// and last 2 characters, and never more than a quarter of it at each end, with the rest as '*'
/// (at most 16 of them, so a huge value cannot flood the log). Shown characters outside printable
/// ASCII become '?', so control characters, line breaks and bidi overrides cannot forge log lines.
/// That never reveals more than the mask of a valid number does.
/// </para>
/// </summary>
internal static class PhoneMasking
{
    public const int MaxVisibleLeadingDigits = 3;
    public const int MaxVisibleTrailingDigits = 4;
    public const int MinHiddenDigits = 3;

    private const int UnparsedLeading = 3;
    private const int UnparsedTrailing = 2;
    private const int UnparsedMaxStars = 16;

    /// <summary>Masks a value that may be a phone number; null and "" give "".</summary>
    public static string Mask(string? anything)
    {
        if (string.IsNullOrEmpty(anything))
        {
            return string.Empty;
        }

        if (IsE164Shaped(anything) && CallingCodes.TryMatch(anything.AsSpan(1), out var code))
        {
            return string.Concat("+", code, " ", MaskNationalNumber(anything[(1 + code.Length)..]));
        }

        return MaskUnparsed(anything);
    }

    /// <summary>The national-number part of <see cref="PhoneNumber.Masked"/>, e.g. "138****5678".</summary>
    public static string MaskNationalNumber(string nationalNumber)
    {
        var length = nationalNumber.Length;
        var hidden = Math.Min(length, Math.Max(MinHiddenDigits, length - MaxVisibleLeadingDigits - MaxVisibleTrailingDigits));
        var visible = length - hidden;
        var trailing = Math.Min(MaxVisibleTrailingDigits, visible);
        var leading = visible - trailing;
        return string.Concat(nationalNumber.AsSpan(0, leading), new string('*', hidden), nationalNumber.AsSpan(length - trailing));
    }

    private static bool IsE164Shaped(string text) =>
        text.Length is >= PhoneNumberParser.MinDigits + 1 and <= PhoneNumberParser.MaxDigits + 1
        && text[0] == '+'
        && text[1] != '0'
        && !text.AsSpan(1).ContainsAnyExceptInRange('0', '9');

    private static string MaskUnparsed(string text)
    {
        Span<Rune> head = stackalloc Rune[UnparsedLeading];
        Rune beforeLast = default;
        Rune last = default;
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count < UnparsedLeading)
            {
                head[count] = rune;
            }

            beforeLast = last;
            last = rune;
            count++;
        }

        var leading = Math.Min(UnparsedLeading, count / 4);
        var trailing = Math.Min(UnparsedTrailing, count / 4);
        var hidden = count - leading - trailing;

        var builder = new StringBuilder(leading + Math.Min(hidden, UnparsedMaxStars) + trailing);
        for (var i = 0; i < leading; i++)
        {
            builder.Append(Printable(head[i]));
        }

        builder.Append('*', Math.Min(hidden, UnparsedMaxStars));
        if (trailing == 2)
        {
            builder.Append(Printable(beforeLast));
        }

        if (trailing >= 1)
        {
            builder.Append(Printable(last));
        }

        return builder.ToString();
    }

    private static char Printable(Rune rune) => rune.Value is >= 0x20 and <= 0x7E ? (char)rune.Value : '?';
}
