namespace Verify.Delivery.Providers;

/// <summary>
/// What a provider sent back, as it may appear in logs, failure reasons and receipts: short and printable,
/// so a hostile or broken answer cannot flood or forge log lines.
/// </summary>
internal static class ProviderCodes
{
    /// <summary>The code, if it is one ("isv.BUSINESS_LIMIT_CONTROL", "LimitExceeded.PhoneNumberDailyLimit", "DELIVRD"); null for anything else.</summary>
    public static string? Printable(string? code, int maxLength) =>
        code is { Length: > 0 } && code.Length <= maxLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':')
            ? code
            : null;

    /// <summary>Whether <paramref name="value"/> is 1 to <paramref name="maxLength"/> visible ASCII characters (no spaces, no controls).</summary>
    public static bool IsVisibleAscii(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && value.All(c => c is > ' ' and < (char)127);
}
