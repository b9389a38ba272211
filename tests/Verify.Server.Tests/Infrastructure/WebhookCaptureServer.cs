using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>A real HTTP endpoint on loopback that records what the webhook sender POSTs and answers as told.</summary>
internal sealed class WebhookCaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookCaptureServer(WebApplication app) => _app = app;

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>The HTTP status the next requests get.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>Answers for the next requests, in order; when empty, <see cref="StatusCode"/> with no body.</summary>
    public ConcurrentQueue<Answer> Script { get; } = new();

    /// <summary>How long each answer waits.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>While set, each request is recorded and then waits until the test completes it: a send held on cue.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookCaptureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test's folder holds Verify.Server's appsettings.json, whose Kestrel endpoints must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new WebhookCaptureServer(app);
        app.MapPost("/sms", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/sms");
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new CapturedRequest(body, JsonDocument.Parse(body).RootElement.Clone(), context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(context.RequestAborted);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (Script.TryDequeue(out var answer))
        {
            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (answer.Json is { } json)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(json);
            }

            return;
        }

        context.Response.StatusCode = StatusCode;
    }

    /// <summary>One scripted answer: a status, optionally a Retry-After header and a JSON body.</summary>
    internal sealed record Answer(int Status, string? RetryAfter = null, string? Json = null);

    internal sealed record CapturedRequest(string Body, JsonElement Json, IReadOnlyDictionary<string, string> Headers);
}
