using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Grpc.InteropHost;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

/// <summary>
/// The interop host listens for HTTP/2 only, so an HTTP/1.1 request never reaches the gRPC layer
/// there; this host maps the same service on an HTTP/1.1 port to see what the layer answers.
/// </summary>
public sealed class Http1FunctionalTests
{
    [Fact]
    public async Task Echo_OverHttp11_Returns426UpgradeRequired()
    {
        await using var app = BuildHttp1Host();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = InteropHostFixture.GetBaseAddress(app), Timeout = GrpcTestClient.CallTimeout };
            var request = GrpcTestClient.CreateRequest(
                InteropPaths.Echo, new ByteArrayContent(GrpcFraming.Frame(new EchoRequest { Message = "x" })), new GrpcCallOptions { Version = HttpVersion.Version11 });

            using var response = await http.SendAsync(request);

            Assert.Equal(HttpVersion.Version11, response.Version);
            Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
            Assert.Contains("HTTP/2", response.Headers.Upgrade.Select(u => u.ToString()));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static WebApplication BuildHttp1Host()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<InteropService>();
        var app = builder.Build();
        app.MapGrpcService<InteropService>();
        return app;
    }
}
