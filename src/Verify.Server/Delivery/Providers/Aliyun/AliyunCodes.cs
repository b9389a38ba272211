namespace Verify.Server.Delivery.Providers.Aliyun;

/// <summary>Alibaba Cloud's codes as they may appear in logs and failure reasons: printable, short, nothing else.</summary>
internal static class AliyunCodes
{
    private const int MaxLength = 64;

    /// <summary>The code, if it is one ("isv.BUSINESS_LIMIT_CONTROL", "DELIVERED"); null for anything else.</summary>
    public static string? Printable(string? code) =>
        code is { Length: > 0 and <= MaxLength } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':')
            ? code
            : null;
}
