using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Server.Metrics;
using Verify.Engine.Metrics;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>
/// The delivery side as the app wires it (catalog, providers behind their gates, router), over an
/// in-memory configuration that tests can change and reload, with scripted providers of type "scripted".
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DeliveryHarness(Dictionary<string, string?> settings, TimeProvider? timeProvider = null, string environment = "Development")
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddMetrics()
            .AddLogging()
            .AddHttpClient()
            .AddSingleton(timeProvider ?? TimeProvider.System)
            .AddSingleton<IConfiguration>(Configuration)
            .AddSingleton<IHostEnvironment>(new Environment(environment))
            .AddSingleton<IDeliveryReceiptSink>(Receipts)
            .AddSingleton<DeliveryMetrics>()
            .AddSingleton<IDeliveryProviderType>(Scripted)
            .AddSingleton<DeliveryCatalog>()
            .AddSingleton<DeliveryProviders>()
            .AddSingleton<DeliveryRouter>();
        foreach (var kind in DeliveryProviderTypes.All.Values)
        {
            services.AddSingleton(kind);
        }

        _services = services.BuildServiceProvider();
    }

    public IConfigurationRoot Configuration { get; }

    public ScriptedProviderType Scripted { get; } = new();

    public CapturingReceiptSink Receipts { get; } = new();

    public DeliveryRouter Router => _services.GetRequiredService<DeliveryRouter>();

    public DeliveryCatalog Catalog => _services.GetRequiredService<DeliveryCatalog>();

    public DeliveryProviders Providers => _services.GetRequiredService<DeliveryProviders>();

    public ScriptedSmsSender Provider(string name) => Scripted.Sender(name);

    /// <summary>Sets keys and reloads, as a changed appsettings.json would.</summary>
    public void Reload(Dictionary<string, string?> changes)
    {
        foreach (var (key, value) in changes)
        {
            Configuration[key] = value;
        }

        Configuration.Reload();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Verify.Server";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
