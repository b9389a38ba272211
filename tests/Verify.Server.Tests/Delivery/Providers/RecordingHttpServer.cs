using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Server.Tests.Delivery.Providers;

/// <summary>
/// A Kestrel server on 127.0.0.1 (port 0) inside a test: either a provider's API, which records every
/// request and answers with <see cref="Respond"/>, or a host for a receipt endpoint under test.
/// </summary>
internal sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingHttpServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The answer to each recorded request; 200 with no body unless the test says otherwise.</summary>
    public Func<RecordedRequest, StubReply> Respond { get; set; } = _ => new StubReply(200);

    /// <summary>How long each answer waits.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>The server's root, e.g. http://127.0.0.1:12345/.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A stub of a provider's API.</summary>
    public static Task<RecordingHttpServer> StartAsync() => StartAsync(null);

    /// <summary>A host for <paramref name="handler"/> (a receipt endpoint) at every path.</summary>
    public static Task<RecordingHttpServer> HostAsync(RequestDelegate handler) => StartAsync(handler);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task<RecordingHttpServer> StartAsync(RequestDelegate? handler)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test's folder holds Verify.Server's appsettings.json, whose Kestrel endpoints must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RecordingHttpServer(app);
        app.Run(handler ?? server.RecordAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private async Task RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        Requests.Enqueue(recorded);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var reply = Respond(recorded);
        context.Response.StatusCode = reply.Status;
        if (reply.Body is { } text)
        {
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(text);
        }
    }
}
