using System.Collections.Frozen;

namespace Verify.Delivery;

/// <summary><c>Verify:Delivery</c> as last validated.</summary>
internal sealed record DeliverySettings(FrozenDictionary<string, ConfiguredProvider> Providers, IReadOnlyList<DeliveryRoute> Routes, Uri? PublicBaseUrl)
{
    /// <summary>The first route that serves this send, or null when none does.</summary>
    public DeliveryRoute? RouteFor(string purpose, string regionCode, DeliveryChannel channel)
    {
        foreach (var route in Routes)
        {
            if (route.Matches(purpose, regionCode, channel))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>Where provider <paramref name="name"/> posts its receipts, when Verify's public URL is known.</summary>
    public Uri? ReceiptUrl(string name) => PublicBaseUrl is null ? null : new Uri(PublicBaseUrl, $"delivery/receipts/{Uri.EscapeDataString(name)}");
}
