using System.Globalization;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// Turns the ids the SMSC writes into the provider message id Verify keeps (<see cref="SmppMessageIdFormat"/>):
/// as is, or the decimal form of a hexadecimal or decimal number. An id that does not parse in the
/// expected base (or is beyond 128 bits) stays as written.
/// </summary>
internal static class SmppMessageIds
{
    public static string FromSubmit(string id, SmppMessageIdFormat format) => format switch
    {
        SmppMessageIdFormat.SubmitHexReceiptDecimal => Decimal(id, NumberStyles.AllowHexSpecifier),
        SmppMessageIdFormat.SubmitDecimalReceiptHex => Decimal(id, NumberStyles.None),
        _ => id,
    };

    public static string FromReceipt(string id, SmppMessageIdFormat format) => format switch
    {
        SmppMessageIdFormat.SubmitHexReceiptDecimal => Decimal(id, NumberStyles.None),
        SmppMessageIdFormat.SubmitDecimalReceiptHex => Decimal(id, NumberStyles.AllowHexSpecifier),
        _ => id,
    };

    private static string Decimal(string id, NumberStyles style) =>
        UInt128.TryParse(id, style, CultureInfo.InvariantCulture, out var value) ? value.ToString(CultureInfo.InvariantCulture) : id;
}
