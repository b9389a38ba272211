using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Hosting;

/// <summary>
/// Each route answers on one listener only, on real Kestrel: gRPC on Grpc, receipts on Http (the port SMS
/// providers reach), probes and metrics on Management (security review, point 9).
/// </summary>
public sealed class ListenerRoutingTests
{
    private static readonly string[] ManagementPaths = ["/healthz", "/readyz", "/metrics"];

    [Fact]
    public async Task ProbesAndMetrics_AnswerOnManagementOnly()
    {
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>());
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        foreach (var path in ManagementPaths)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, HttpMethod.Get, new Uri(host.ManagementAddress, path)));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Get, new Uri(host.HttpAddress, path)));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Get, new Uri(host.Address, path), HttpVersion.Version20));
        }

        // The listener is the connection's, not the Host header's: naming the Management port there changes nothing.
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(host.HttpAddress, "/metrics"));
        forged.Headers.Host = host.ManagementAddress.Authority;
        using var answer = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);

        // Port 0 in the configuration; the log says which port each listener got.
        Assert.Contains(host.Logs, l => l.Message == $"Listener Management on {host.ManagementAddress.Authority}: /healthz, /readyz, /metrics.");
    }

    [Fact]
    public async Task Receipts_AnswerOnHttpOnly()
    {
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>
        {
            ["Verify:Delivery:Webhook:Url"] = "http://127.0.0.1:9/send",
            ["Verify:Delivery:Webhook:SigningSecret"] = "a-receipt-signing-secret",
        });
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        const string path = "/delivery/receipts/webhook";

        // Unsigned: the webhook's receipt endpoint itself answers 401, which shows the route was reached.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Post, new Uri(host.HttpAddress, path)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Post, new Uri(host.ManagementAddress, path)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Post, new Uri(host.Address, path), HttpVersion.Version20));
    }

    [Fact]
    public async Task GrpcCalls_AnswerOnGrpcOnly_EvenWhereTheOtherListenersSpeakHttp2()
    {
        // HTTP/2 on the other two as well, so what refuses the call there is the routing, not the protocol.
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Management:Protocols"] = "Http2",
        });

        await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        foreach (var address in new[] { host.HttpAddress, host.ManagementAddress })
        {
            using var channel = GrpcChannel.ForAddress(address);
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30)));
            Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, Uri uri, Version? version = null)
    {
        // The Grpc endpoint speaks HTTP/2 only: without TLS that is prior knowledge, asked for with an exact version.
        using var request = new HttpRequestMessage(method, uri)
        {
            Version = version ?? HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = method == HttpMethod.Post ? new StringContent("[]") : null,
        };
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
