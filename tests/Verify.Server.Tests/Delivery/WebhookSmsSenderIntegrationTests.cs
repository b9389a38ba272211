using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Server.Delivery;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery;

/// <summary>The webhook sender against a real HTTP server on loopback.</summary>
public sealed class WebhookSmsSenderIntegrationTests : IAsyncLifetime
{
    private WebhookCaptureServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await WebhookCaptureServer.StartAsync();
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_Accepted_PostsTheDocumentedJsonFields()
    {
        var result = await Sender(secret: null).SendAsync(Message(), CancellationToken.None);

        Assert.True(result.Accepted);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("+8613812345678", request.Json.GetProperty("to").GetString());
        Assert.Equal("Verify: 123456 is your code", request.Json.GetProperty("text").GetString());
        Assert.Equal("VE0123456789abcdef0123456789abcdef", request.Json.GetProperty("verification_id").GetString());
        Assert.Equal("login", request.Json.GetProperty("purpose").GetString());
        Assert.Equal("en", request.Json.GetProperty("locale").GetString());
        Assert.Equal("send-1", request.Json.GetProperty("send_id").GetString());
        Assert.Equal("send-1", request.Headers["Idempotency-Key"]);
        Assert.False(request.Headers.ContainsKey(WebhookSmsSender.SignatureHeader));
    }

    [Fact]
    public async Task SendAsync_WithSecret_SignsTimestampAndBodySoTheReceiverCanVerify()
    {
        const string secret = "a-webhook-secret-of-length";

        await Sender(secret).SendAsync(Message(), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        var parts = request.Headers[WebhookSmsSender.SignatureHeader].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + request.Body)));
        Assert.Equal(expected, parts["v1"]);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(400)]
    public async Task SendAsync_Non2xx_IsAFailedSend(int status)
    {
        _server.StatusCode = status;

        var result = await Sender(secret: null).SendAsync(Message(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error);
    }

    [Fact]
    public async Task SendAsync_NothingListening_IsAFailedSend()
    {
        var url = _server.Url;
        await _server.DisposeAsync();

        var result = await Sender(secret: null, url: url).SendAsync(Message(), CancellationToken.None);

        Assert.False(result.Accepted);
        _server = await WebhookCaptureServer.StartAsync();
    }

    private WebhookSmsSender Sender(string? secret, Uri? url = null) => new(
        ProviderContexts.For(new WebhookOptions { Url = url ?? _server.Url, SigningSecret = secret }, "webhook"),
        _services.GetRequiredService<IHttpClientFactory>(),
        TimeProvider.System,
        NullLogger<WebhookSmsSender>.Instance);

    private static SmsMessage Message() => SmsMessages.Login() with { SendId = "send-1" };
}
