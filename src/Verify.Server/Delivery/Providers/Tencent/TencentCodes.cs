namespace Verify.Server.Delivery.Providers.Tencent;

/// <summary>Tencent Cloud's codes as they may appear in logs and failure reasons: printable, short, nothing else.</summary>
internal static class TencentCodes
{
    private const int MaxLength = 80;

    /// <summary>The code, if it is one ("LimitExceeded.PhoneNumberDailyLimit", "DELIVRD"); null for anything else.</summary>
    public static string? Printable(string? code) =>
        code is { Length: > 0 and <= MaxLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':')
            ? code
            : null;
}
