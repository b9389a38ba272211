using Verify.Delivery.Providers;

namespace Verify.Delivery;

/// <summary>One provider as configured: its name, its kind, the router's guards for it, and its own settings.</summary>
internal sealed record ConfiguredProvider(string Name, IDeliveryProviderType Kind, ProviderSettings Guards, object Options);
