using System.Net;
using System.Text.RegularExpressions;

namespace Verify.Server.Validation;

/// <summary>The rules shared by several request validators.</summary>
internal static partial class FieldRules
{
    public const int MaxPayeeLength = 40;
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>A decimal with a dot, 1-18 digits before it and 1-4 after, greater than zero.</summary>
    public static bool IsAmount(string value) =>
        Amount().IsMatch(value) && value.Any(c => c is >= '1' and <= '9');

    /// <summary>Printable, no line breaks or control characters, no surrounding spaces: a payee goes into an SMS as is.</summary>
    public static bool IsPayee(string value) =>
        value.Length is > 0 and <= MaxPayeeLength
        && value.Trim().Length == value.Length
        && !value.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.LineSeparator
            or System.Globalization.UnicodeCategory.ParagraphSeparator or System.Globalization.UnicodeCategory.Format);

    /// <summary>A literal IPv4 or IPv6 address (no host names, no ports).</summary>
    public static bool IsIpAddress(string value) =>
        value.Length <= 45 && value.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':') && IPAddress.TryParse(value, out _);

    /// <summary>The address in its canonical text form, so "::ffff:1.2.3.4" and "1.2.3.4" count as one client.</summary>
    public static string CanonicalIp(string value)
    {
        var address = IPAddress.Parse(value);
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>A BCP 47 language tag such as en, zh-CN, zh-Hans-CN, pt-BR.</summary>
    public static bool IsLocale(string value) => value.Length <= 35 && Locale().IsMatch(value);

    public static bool IsIdempotencyKey(string value) =>
        value.Length <= MaxIdempotencyKeyLength && value.All(c => c is >= (char)0x21 and <= (char)0x7E);

    /// <summary>4 to 10 ASCII letters or digits: anything else cannot be a code of any policy.</summary>
    public static bool IsTypedCode(string value) => TypedCode().IsMatch(value);

    [GeneratedRegex(@"^[0-9]{1,18}(\.[0-9]{1,4})?\z")]
    private static partial Regex Amount();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?\\z")]
    private static partial Regex Locale();

    [GeneratedRegex("^[A-Za-z0-9]{4,10}\\z")]
    private static partial Regex TypedCode();
}
