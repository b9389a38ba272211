using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.InteropHost;

/// <summary>
/// Builds the interop host: h2c (or TLS with ALPN when a certificate is given) on a loopback port,
/// Verify's message size limit (64 KiB), the test service, health and reflection. The functional
/// tests host it in-process; the Python and Node tests start the executable.
/// </summary>
public static class InteropHostApp
{
    public const int MaxReceiveMessageSize = 64 * 1024;

    public static WebApplication Build(int port = 0, string? certificatePath = null, string? certificatePassword = null, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificatePath is not null)
            {
                listen.UseHttps(certificatePath, certificatePassword);
            }
        }));

        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = MaxReceiveMessageSize);
        builder.Services.AddSingleton<InteropService>();

        var app = builder.Build();
        app.MapGrpcService<InteropService>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        app.Services.GetRequiredService<GrpcServiceRegistry>().AddFile(Google.Rpc.ErrorDetailsReflection.Descriptor);
        return app;
    }
}
