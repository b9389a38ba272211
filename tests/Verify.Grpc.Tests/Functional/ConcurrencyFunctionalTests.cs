using System.Net.Sockets;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class ConcurrencyFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    [Fact]
    public async Task Echo_ThousandConcurrentCallsOnOneConnection_AllSucceed()
    {
        const int calls = 1000;
        var connections = 0;
        var handler = GrpcTestClient.CreateHandler();
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            Interlocked.Increment(ref connections);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        using var client = new GrpcTestClient(host.BaseAddress, handler);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Kestrel allows 100 streams per connection: the client queues the rest on the same connection.
        var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            using var result = await client.CallAsync(InteropPaths.Echo, new EchoRequest { Message = $"call-{i}" }, EchoResponse.Parser, cancellationToken: timeout.Token);
            return (i, result.Status.Code, Message: result.Messages.SingleOrDefault()?.Message);
        }));

        Assert.All(results, r =>
        {
            Assert.Equal(StatusCode.OK, r.Code);
            Assert.Equal($"call-{r.i}", r.Message);
        });
        Assert.Equal(1, connections);
    }
}
