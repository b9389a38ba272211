using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Verify.Benchmarks.Sink;

/// <summary>
/// The no-op SMS provider: Verify's webhook sender takes any 2xx as a send, so a start costs Verify its whole path
/// and the provider nothing. An empty body means no message_id: Verify names the message by its send id.
/// </summary>
internal static class SinkHost
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var port = (int)arguments.Long("port", min: 1, max: 65535);
        arguments.EnsureAllRead();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1));

        await using var app = builder.Build();
        long requests = 0;
        app.MapGet("/count", () => Interlocked.Read(ref requests).ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapPost("/sms", () =>
        {
            Interlocked.Increment(ref requests);
            return Results.Ok();
        });

        await app.StartAsync();
        Console.WriteLine($"LISTENING {port}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
