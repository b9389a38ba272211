using PhoneNumbers;

namespace Verify.Delivery.Phones;

/// <summary>libphonenumber's number types as Verify's <see cref="PhoneLineType"/>.</summary>
internal static class PhoneLineTypes
{
    /// <summary>The line type of a valid number; null for UNKNOWN, which libphonenumber gives only to invalid numbers.</summary>
    public static PhoneLineType? From(PhoneNumberType type) => type switch
    {
        PhoneNumberType.FIXED_LINE => PhoneLineType.FixedLine,
        PhoneNumberType.MOBILE => PhoneLineType.Mobile,
        PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneLineType.FixedLineOrMobile,
        PhoneNumberType.TOLL_FREE => PhoneLineType.TollFree,
        PhoneNumberType.PREMIUM_RATE => PhoneLineType.PremiumRate,
        PhoneNumberType.SHARED_COST => PhoneLineType.SharedCost,
        PhoneNumberType.VOIP => PhoneLineType.Voip,
        PhoneNumberType.PERSONAL_NUMBER => PhoneLineType.PersonalNumber,
        PhoneNumberType.PAGER => PhoneLineType.Pager,
        PhoneNumberType.UAN => PhoneLineType.Uan,
        PhoneNumberType.VOICEMAIL => PhoneLineType.Voicemail,
        _ => null,
    };
}
