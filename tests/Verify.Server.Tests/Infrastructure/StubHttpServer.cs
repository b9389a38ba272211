using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>
/// A Kestrel server on 127.0.0.1 (port 0) inside a test: either a provider's API, which records every
/// request as it came over the wire and answers with <see cref="Respond"/>, or, given a handler, a host
/// for a receipt endpoint under test at every path.
/// </summary>
internal sealed class StubHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubHttpServer(WebApplication app) => _app = app;

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    /// <summary>The answer to each recorded request; 200 with no body unless the test says otherwise.</summary>
    public Func<StubRequest, StubReply> Respond { get; set; } = _ => new StubReply(200);

    /// <summary>How long each answer waits.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>The server's root, e.g. http://127.0.0.1:12345/.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<StubHttpServer> StartAsync(RequestDelegate? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test's folder holds Verify.Server's appsettings.json, whose Kestrel endpoints must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new StubHttpServer(app);
        app.Run(handler ?? server.RecordAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(new Uri(address), "/");
        return server;
    }

    /// <summary>Answers <paramref name="status"/> with <paramref name="body"/> to every request from now on.</summary>
    public void Reply(int status, string? body = null, string contentType = StubReply.Json) =>
        Respond = _ => new StubReply(status, body, contentType);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task RecordAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var recorded = new StubRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray());
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
