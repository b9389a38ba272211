using System.Collections.Frozen;
using System.Net;

namespace Verify.Server.Security;

/// <summary>An authenticated calling service and what it may do.</summary>
internal sealed record Caller(
    string Name,
    FrozenSet<string> Purposes,
    FrozenSet<CallerOperation> Operations,
    IReadOnlyList<IPNetwork> Networks,
    bool Admin)
{
    public const string AnyPurpose = "*";

    /// <summary>Every call when authentication is off (Development): may do anything, owns what it starts.</summary>
    public static readonly Caller Anonymous = new(
        "anonymous", FrozenSet.Create(AnyPurpose), Enum.GetValues<CallerOperation>().ToFrozenSet(), [], Admin: true);

    /// <summary>
    /// What a verification keeps of the caller that started it: 48 bits of SHA-256 of the name, as 12
    /// hex digits. Short because Redis holds one per verification; callers are few, so two names
    /// sharing a tag is not a practical concern.
    /// </summary>
    public string OwnerTag { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Name)).AsSpan(0, 6));

    public bool MayUse(string purpose, CallerOperation operation) =>
        Operations.Contains(operation) && (Purposes.Contains(AnyPurpose) || Purposes.Contains(purpose));

    public bool MayCallFrom(IPAddress? address)
    {
        if (Networks.Count == 0)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Networks.Any(network => network.Contains(normalized));
    }
}
