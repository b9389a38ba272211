using System.Collections.Frozen;
using Verify.Delivery.Providers;

namespace Verify.Delivery;

/// <summary>
/// The configured providers, created once at start: each one's sender behind its gate, and its receipt
/// endpoint when it has one. Senders that keep a connection (SMPP) are started and stopped with the host.
/// </summary>
internal sealed class DeliveryProviders : IHostedService, IAsyncDisposable
{
    private readonly FrozenDictionary<string, ProviderGate> _gates;
    private readonly FrozenDictionary<string, IDeliveryReceiptEndpoint> _receiptEndpoints;

    public DeliveryProviders(DeliveryCatalog catalog, IDeliveryReceiptSink receipts, DeliveryMetrics metrics, TimeProvider timeProvider, IServiceProvider services, ILoggerFactory loggers)
    {
        var gates = new Dictionary<string, ProviderGate>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, IDeliveryReceiptEndpoint>(StringComparer.Ordinal);
        foreach (var (name, provider) in catalog.Current.Providers)
        {
            var context = new ProviderContext(name, provider.Kind.Type, () => catalog.Current.Providers[name].Options, () => catalog.Current.ReceiptUrl(name), receipts);
            var sender = provider.Kind.CreateSender(context, services);
            gates[name] = new ProviderGate(name, sender, timeProvider, metrics, loggers.CreateLogger($"{typeof(ProviderGate).FullName}.{name}"));
            if (provider.Kind.CreateReceiptEndpoint(context, services) is { } endpoint)
            {
                endpoints[name] = endpoint;
            }
        }

        _gates = gates.ToFrozenDictionary(StringComparer.Ordinal);
        _receiptEndpoints = endpoints.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, ProviderGate> Gates => _gates;

    /// <summary>The receipt endpoint of provider <paramref name="name"/>, if it has one.</summary>
    public IDeliveryReceiptEndpoint? ReceiptEndpoint(string name) => _receiptEndpoints.GetValueOrDefault(name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _gates.Values.Select(g => g.Sender).OfType<IHostedService>())
        {
            await service.StartAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _gates.Values.Select(g => g.Sender).OfType<IHostedService>())
        {
            await service.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
            switch (gate.Sender)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
