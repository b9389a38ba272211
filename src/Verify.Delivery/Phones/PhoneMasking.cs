using System.Text;

namespace Verify.Delivery.Phones;

/// <summary>
/// Masks phone numbers for display and logs.
/// <para>
/// A valid number is shown as its country code, a space and the national number with its middle
/// replaced by '*': at most the first 3 and the last 4 national digits stay visible, and at least 3
/// digits are always hidden, so short national numbers show fewer leading digits (and, below 7
/// digits, fewer trailing ones): "+86 138****5678", "+44 791***0123", "+290 ***34".
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

        if (anything.Length <= PhoneNumberParser.MaxDigits + 1
            && PhoneNumberParser.TryParse(anything, out var number, out _))
        {
            return number.Masked;
        }

        return MaskUnparsed(anything);
    }

    /// <summary>
    /// Masks a number Verify stored, so one that was valid when it was stored: it is not validated again
    /// (libphonenumber's validity check costs microseconds, and every response and audit line masks),
    /// only its shape and calling code are checked. So the mask is <see cref="PhoneNumber.Masked"/>,
    /// and stays so if a later metadata update no longer knows the number; anything else falls back to
    /// <see cref="Mask"/>.
    /// </summary>
    public static string MaskStored(string e164) =>
        PhoneNumberParser.HasE164Shape(e164) && CallingCodes.TryMatch(e164.AsSpan(1), out var code)
            ? string.Concat("+", code, " ", MaskNationalNumber(e164.AsSpan(1 + code.Length)))
            : Mask(e164);

    /// <summary>The national-number part of <see cref="PhoneNumber.Masked"/>, e.g. "138****5678".</summary>
    public static string MaskNationalNumber(ReadOnlySpan<char> nationalNumber)
    {
        var length = nationalNumber.Length;
        var hidden = Math.Min(length, Math.Max(MinHiddenDigits, length - MaxVisibleLeadingDigits - MaxVisibleTrailingDigits));
        var visible = length - hidden;
        var trailing = Math.Min(MaxVisibleTrailingDigits, visible);
        var leading = visible - trailing;
        return string.Concat(nationalNumber[..leading], new string('*', hidden), nationalNumber[(length - trailing)..]);
    }


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
