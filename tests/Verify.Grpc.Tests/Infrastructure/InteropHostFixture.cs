using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Verify.Grpc.InteropHost;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>The interop host on a free loopback port (h2c), started once per test class and stopped after it.</summary>
public sealed class InteropHostFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private GrpcTestClient? _client;

    public Uri BaseAddress { get; private set; } = null!;

    public GrpcTestClient Client => _client ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync()
    {
        _app = InteropHostApp.Build(port: 0);
        await _app.StartAsync();
        BaseAddress = GetBaseAddress(_app);
        _client = new GrpcTestClient(BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public static Uri GetBaseAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(Assert.Single(addresses));
    }
}
