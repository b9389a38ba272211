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
