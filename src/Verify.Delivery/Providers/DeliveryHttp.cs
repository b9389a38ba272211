namespace Verify.Delivery.Providers;

/// <summary>The HTTP client every HTTP provider sends with (pooled connections; the router bounds each send's time).</summary>
internal static class DeliveryHttp
{
    public const string ClientName = "verify-delivery";
}
