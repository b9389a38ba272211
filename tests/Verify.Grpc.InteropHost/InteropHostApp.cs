using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Grpc.InteropHost;

/// <summary>
/// Builds the interop host: h2c (or TLS with ALPN when a certificate is given) on a loopback port,
/// Verify's message size limit (64 KiB), the test service, health and reflection. The functional
/// tests host it in-process; the Python and Node tests start the executable. With
/// <c>mapRawBaseline</c> it also serves <see cref="RawBaselinePath"/>, a hand-written empty unary
/// answer that the performance measurements compare the gRPC layer against on the same Kestrel.
/// </summary>
public static class InteropHostApp
{
    public const int MaxReceiveMessageSize = 64 * 1024;

    public const string RawBaselinePath = "/verify.interop.v1.Raw/Empty";

    // An empty message: not compressed, length 0.
    private static readonly byte[] EmptyMessageFrame = [0, 0, 0, 0, 0];

    public static WebApplication Build(
        int port = 0,
        string? certificatePath = null,
        string? certificatePassword = null,
        Action<ILoggingBuilder>? logging = null,
        bool mapRawBaseline = false)
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
        if (mapRawBaseline)
        {
            app.MapPost(RawBaselinePath, (RequestDelegate)RawEmptyUnaryAsync);
        }

        return app;
    }

    // The least a correct unary gRPC answer takes, written by hand: no checks, no context, no parsing.
    // The request body is still read to its end, as a real call must before it answers.
    private static async Task RawEmptyUnaryAsync(HttpContext context)
    {
        var body = context.Request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(context.RequestAborted);
            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }
        }

        var response = context.Response;
        response.ContentType = "application/grpc";
        response.BodyWriter.Write(EmptyMessageFrame);
        response.AppendTrailer("grpc-status", "0");
    }
}
