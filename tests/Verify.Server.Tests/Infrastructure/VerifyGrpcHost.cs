using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Server.Hosting;
using Verify.Server.Hosting.Listeners;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>
/// The whole Verify application, wired as Program.cs wires it, on real Kestrel: gRPC over h2c, and the Http and
/// Management listeners over HTTP/1.1, each on a free loopback port; a Grpc.Net.Client channel to it; and every log
/// line it writes, to read the audit.
/// </summary>
internal sealed class VerifyGrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private VerifyGrpcHost(WebApplication app, Uri address, Uri httpAddress, Uri managementAddress, ConcurrentQueue<(string Category, string Message)> logs)
    {
        _app = app;
        Address = address;
        HttpAddress = httpAddress;
        ManagementAddress = managementAddress;
        Logs = logs;
        Channel = GrpcChannel.ForAddress(address);
    }

    /// <summary>The Grpc endpoint (h2c).</summary>
    public Uri Address { get; }

    /// <summary>The Http endpoint (HTTP/1.1), the one SMS providers post receipts to.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The Management endpoint (HTTP/1.1): probes and metrics.</summary>
    public Uri ManagementAddress { get; }

    public GrpcChannel Channel { get; }

    public ConcurrentQueue<(string Category, string Message)> Logs { get; }

    public IServiceProvider Services => _app.Services;

    public IEnumerable<string> AuditLines => Logs.Where(l => l.Category == Verify.Server.Security.AuditLog.Category).Select(l => l.Message);

    public static async Task<VerifyGrpcHost> StartAsync(IDictionary<string, string?> settings, string environment = "Development")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });

        // The test's folder holds Verify.Server's appsettings.json, whose fixed ports must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:Management:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Management:Protocols"] = "Http1",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new ConcurrentQueue<(string, string)>();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(new CapturingLoggerProvider(logs));
        builder.AddVerifyHosting();
        builder.Services.AddVerify(builder.Configuration, builder.Environment);
        var app = builder.Build();
        app.MapVerify();
        await app.StartAsync();
        // Port 0 everywhere: the port each listener got, by its name.
        var listeners = app.Services.GetRequiredService<ListenerEndPoints>();
        Uri AddressOf(string listener) => new($"http://{listeners.Of(listener)}");
        return new VerifyGrpcHost(app, AddressOf(VerifyListeners.Grpc), AddressOf(VerifyListeners.Http), AddressOf(VerifyListeners.Management), logs);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(string, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, logs);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<(string, string)> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((category, formatter(state, exception)));
    }
}
