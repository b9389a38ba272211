using FluentValidation;

namespace Verify.Delivery.Providers.Smpp;

internal sealed class SmppOptionsValidator : AbstractValidator<SmppOptions>
{
    /// <summary>NPI values SMPP v3.4 §5.2.6 defines.</summary>
    private static readonly byte[] Npis = [0, 1, 3, 4, 6, 8, 9, 10, 14, 18];

    public SmppOptionsValidator()
    {
        RuleFor(o => o.Host).NotEmpty().WithMessage("required")
            .Must(h => Uri.CheckHostName(h) != UriHostNameType.Unknown).WithMessage("must be a host name or an IP address (no scheme, no port)");
        RuleFor(o => o.Port).InclusiveBetween(1, 65535).WithMessage("must be between 1 and 65535");
        RuleFor(o => o.SystemId).NotEmpty().WithMessage("required")
            .Must(v => IsAscii(v, 15)).WithMessage("must be at most 15 printable ASCII characters");
        RuleFor(o => o.Password).NotEmpty().WithMessage("required")
            .Must(v => IsAscii(v, 8)).WithMessage("must be at most 8 printable ASCII characters");
        RuleFor(o => o.SystemType).Must(v => IsAscii(v, 12)).WithMessage("must be at most 12 printable ASCII characters");
        RuleFor(o => o.ServiceType).Must(v => IsAscii(v, 5)).WithMessage("must be at most 5 printable ASCII characters");
        RuleFor(o => o.SourceAddress).Must(IsSourceAddress).WithMessage("must be up to 11 letters, digits or spaces, or up to 20 digits");
        RuleFor(o => o.SourceTon).Must(t => t is null or <= 6).WithMessage("must be between 0 and 6");
        RuleFor(o => o.SourceNpi).Must(n => n is null || Npis.Contains(n.Value)).WithMessage("must be one of 0, 1, 3, 4, 6, 8, 9, 10, 14, 18");
        RuleFor(o => o.DataCoding).IsInEnum().WithMessage("must be Gsm7 or Ucs2");
        RuleFor(o => o.MessageIdFormat).IsInEnum().WithMessage("must be AsIs, SubmitHexReceiptDecimal or SubmitDecimalReceiptHex");
        RuleFor(o => o.ValidityPeriod).Must(v => v is null || (v >= TimeSpan.FromMinutes(1) && v <= TimeSpan.FromDays(7)))
            .WithMessage("must be between 00:01:00 and 7.00:00:00");
        RuleFor(o => o.EnquireLinkInterval).InclusiveBetween(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)).WithMessage("must be between 00:00:01 and 00:10:00");
        RuleFor(o => o.ResponseTimeout).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2)).WithMessage("must be between 00:00:00.1 and 00:02:00");
        RuleFor(o => o.ReconnectMinDelay).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)).WithMessage("must be between 00:00:00.1 and 00:05:00");
        RuleFor(o => o.ReconnectMaxDelay).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)).WithMessage("must be between 00:00:00.1 and 01:00:00")
            .GreaterThanOrEqualTo(o => o.ReconnectMinDelay).WithMessage("must not be less than ReconnectMinDelay");
        RuleFor(o => o.WindowSize).InclusiveBetween(1, 1000).WithMessage("must be between 1 and 1000");
    }

    /// <summary>Whether the sender id has letters (alphanumeric, TON 5) rather than being a number.</summary>
    public static bool IsAlphanumeric(string sourceAddress) => sourceAddress.TrimStart('+').Any(c => !char.IsAsciiDigit(c));

    private static bool IsAscii(string? value, int maxLength) => value is null || (value.Length <= maxLength && value.All(c => c is >= ' ' and <= '~'));

    private static bool IsSourceAddress(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        return IsAlphanumeric(value)
            ? value.Length <= 11 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ')
            : value.TrimStart('+').Length is >= 1 and <= 20 && value.IndexOf('+', 1) < 0;
    }
}
