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
/// A Kestrel server on 127.0.0.1 (port 0) standing in for a provider's API: it records every request
/// as received (method, path, raw query, headers, body bytes) and answers <see cref="StatusCode"/> with
/// <see cref="ResponseBody"/>; or, with a handler, hands each request to it (a receipt endpoint).
/// </summary>
internal sealed class StubHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestDelegate? _handler;

    private StubHttpServer(WebApplication app, RequestDelegate? handler)
    {
        _app = app;
        _handler = handler;
    }

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public int StatusCode { get; set; } = 200;

    public string ResponseBody { get; set; } = string.Empty;

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>"http://127.0.0.1:{port}/".</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<StubHttpServer> StartAsync(RequestDelegate? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test's folder holds Verify.Server's appsettings.json, whose Kestrel endpoints must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new StubHttpServer(app, handler);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(new Uri(address), "/");
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (_handler is not null)
        {
            await _handler(context);
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Requests.Enqueue(new StubRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray()));
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        context.Response.StatusCode = StatusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(ResponseBody);
    }

    internal sealed record StubRequest(string Method, string Path, string RawQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
    }
}
