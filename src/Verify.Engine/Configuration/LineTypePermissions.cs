using System.Collections.Frozen;
using Verify.Delivery.Phones;

namespace Verify.Engine.Configuration;

/// <summary>
/// Which line types a purpose sends its codes to, per channel
/// (<c>Verify:Policies:&lt;purpose&gt;:LineTypes:Sms</c> and <c>:Voice</c>). A number of another
/// type is refused PERMISSION_DENIED (<c>LINE_TYPE_NOT_ALLOWED</c>) before any counter moves. A
/// configured list replaces the default, it does not add to it. Values are <see cref="PhoneLineType"/>
/// names, any case; they are bound as text so that a bad one is reported with its own key.
/// </summary>
internal sealed class LineTypePermissions
{
    /// <summary>Types a text may go to. Defaults to Mobile and FixedLineOrMobile: a landline cannot read an SMS.</summary>
    public List<string> Sms { get; set; } = [nameof(PhoneLineType.Mobile), nameof(PhoneLineType.FixedLineOrMobile)];

    /// <summary>
    /// Types a call may go to. Defaults to Mobile, FixedLineOrMobile and FixedLine: a spoken code
    /// reaches a landline as well as a mobile, and voice is how users without a mobile verify.
    /// </summary>
    public List<string> Voice { get; set; } = [nameof(PhoneLineType.Mobile), nameof(PhoneLineType.FixedLineOrMobile), nameof(PhoneLineType.FixedLine)];

    /// <summary>The type a configured name stands for; false for anything but one name of <see cref="PhoneLineType"/> (no numbers, no "A, B").</summary>
    public static bool TryParse(string name, out PhoneLineType lineType)
    {
        lineType = default;
        var match = Array.Find(Enum.GetNames<PhoneLineType>(), n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        return match is not null && Enum.TryParse(match, out lineType);
    }

    public static FrozenSet<PhoneLineType> Parse(IEnumerable<string> names) =>
        names.Select(name => TryParse(name, out var lineType) ? lineType : throw new ArgumentException($"'{name}' is not a line type.", nameof(names))).ToFrozenSet();
}
