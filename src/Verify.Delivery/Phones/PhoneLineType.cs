namespace Verify.Delivery.Phones;

/// <summary>
/// What kind of line a number is, as libphonenumber's metadata classifies its range. The names are
/// the configuration values of <c>Verify:Policies:&lt;purpose&gt;:LineTypes</c>. The metadata knows
/// number ranges, not subscribers: a number ported to a VoIP service keeps its range's type.
/// </summary>
internal enum PhoneLineType
{
    /// <summary>A landline.</summary>
    FixedLine,

    /// <summary>A mobile line.</summary>
    Mobile,

    /// <summary>
    /// A range that mixes both, so the metadata cannot tell (every +1 number of the US and Canada, for
    /// instance): refusing it refuses most North American numbers.
    /// </summary>
    FixedLineOrMobile,

    /// <summary>Freephone (e.g. +1 800): the called party pays.</summary>
    TollFree,

    /// <summary>Premium rate (e.g. +44 9): the caller pays the owner, the classic toll-fraud target.</summary>
    PremiumRate,

    /// <summary>Cost shared between caller and called party (e.g. +44 845).</summary>
    SharedCost,

    /// <summary>Ranges set aside for VoIP services.</summary>
    Voip,

    /// <summary>Personal "follow me" numbers that forward anywhere (e.g. +44 70).</summary>
    PersonalNumber,

    Pager,

    /// <summary>Universal access numbers: one number for a company's many lines.</summary>
    Uan,

    /// <summary>Numbers that reach a voicemail box directly.</summary>
    Voicemail,
}
