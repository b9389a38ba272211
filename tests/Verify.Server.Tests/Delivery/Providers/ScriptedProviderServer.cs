using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Server.Tests.Delivery.Providers;

/// <summary>
/// A real HTTP server on loopback standing in for a provider's API: it records every request exactly as
/// it arrived (method, path, query, headers, raw body) and answers with the status and body it is told.
/// </summary>
internal sealed class ScriptedProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedProviderServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int StatusCode { get; set; } = 200;

    public string ResponseBody { get; set; } = string.Empty;

    public string ResponseContentType { get; set; } = "application/json;charset=UTF-8";

    /// <summary>http://127.0.0.1:port, no path.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ScriptedProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test's folder holds Verify.Server's appsettings.json, whose Kestrel endpoints must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedProviderServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body));
        context.Response.StatusCode = StatusCode;
        if (ResponseBody.Length > 0)
        {
            context.Response.ContentType = ResponseContentType;
            await context.Response.WriteAsync(ResponseBody);
        }
    }

    internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        /// <summary>The body read as application/x-www-form-urlencoded.</summary>
        public Dictionary<string, string> Form => QueryHelpers.ParseQuery(Body).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
    }
}
