using System.Globalization;

namespace Verify.Engine.Codes;

/// <summary>
/// A payment's amount, currency and payee in canonical form: the amount without a sign, leading zeros
/// or trailing fraction zeros ("25.00" and "25" are the same amount, "25.10" is "25.1"), so the
/// binding compares numbers, not spellings.
/// </summary>
internal sealed record TransactionDetails(string Amount, string Currency, string Payee)
{
    /// <summary>The amount as it is shown to the user (two decimals at least, as typed otherwise).</summary>
    public string DisplayAmount
    {
        get
        {
            var value = decimal.Parse(Amount, CultureInfo.InvariantCulture);
            return value.Scale >= 2 ? Amount : value.ToString("0.00", CultureInfo.InvariantCulture);
        }
    }

    public static TransactionDetails Create(string amount, string currency, string payee)
    {
        var value = decimal.Parse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var canonical = (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        return new TransactionDetails(canonical, currency, payee);
    }
}
