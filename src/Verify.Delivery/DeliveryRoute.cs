using System.Collections.Frozen;

namespace Verify.Delivery;

/// <summary>A validated entry of <c>Verify:Delivery:Routes</c>.</summary>
internal sealed record DeliveryRoute(FrozenSet<string> Purposes, FrozenSet<string> Countries, DeliveryChannel Channel, IReadOnlyList<string> Providers)
{
    /// <summary>Every purpose, every country.</summary>
    public static DeliveryRoute CatchAll(DeliveryChannel channel, string provider) => new(FrozenSet<string>.Empty, FrozenSet<string>.Empty, channel, [provider]);

    public bool Matches(string purpose, string regionCode, DeliveryChannel channel) =>
        Channel == channel
        && (Purposes.Count == 0 || Purposes.Contains(purpose))
        && (Countries.Count == 0 || Countries.Contains(regionCode));
}
