using System.Diagnostics;
using System.Globalization;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class StreamingFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    [Fact]
    public async Task ServerStream_CountFive_ReturnsFiveMessagesThenOk()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(InteropPaths.ServerStream, new StreamRequest { Count = 5 }, EchoResponse.Parser, cancellationToken: timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.False(result.Status.TrailersOnly);
        Assert.Equal(["0", "1", "2", "3", "4"], result.Messages.Select(m => m.Message));
    }

    [Fact]
    public async Task ServerStream_CountZero_ReturnsOkWithoutMessages()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(InteropPaths.ServerStream, new StreamRequest { Count = 0 }, EchoResponse.Parser, cancellationToken: timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task ServerStream_WithInterval_EachMessageArrivesWhenWritten()
    {
        const int count = 3;
        const int intervalMs = 300;
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var response = await host.Client.SendAsync(InteropPaths.ServerStream, new StreamRequest { Count = count, IntervalMs = intervalMs }, cancellationToken: timeout.Token);
        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        while (await response.ReadMessageAsync(EchoResponse.Parser, timeout.Token) is { } message)
        {
            Assert.Equal(arrivals.Count.ToString(CultureInfo.InvariantCulture), message.Message);
            arrivals.Add(clock.Elapsed);
        }

        Assert.Equal(StatusCode.OK, (await response.ReadStatusAsync(timeout.Token)).Code);
        Assert.Equal(count, arrivals.Count);

        // The server waits (count - 1) intervals between its writes; had it buffered, they would all arrive together.
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromMilliseconds((count - 1) * intervalMs * 0.8), $"arrivals: {string.Join(", ", arrivals)}");
    }

    [Fact]
    public async Task Bidi_SendOneReadOne_EchoesEachMessageBeforeTheRequestEnds()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.Bidi, cancellationToken: timeout.Token);

        await call.SendAsync(new EchoRequest { Message = "ping-0" }, timeout.Token);
        var response = await call.Response.WaitAsync(timeout.Token);
        for (var i = 0; i < 5; i++)
        {
            // The request is still open: each echo proves the server neither waits for END_STREAM nor buffers its writes.
            var echo = await response.ReadMessageAsync(EchoResponse.Parser, timeout.Token);
            Assert.Equal($"ping-{i}", echo?.Message);
            await call.SendAsync(new EchoRequest { Message = $"ping-{i + 1}" }, timeout.Token);
        }

        call.CompleteRequest();
        Assert.Equal("ping-5", (await response.ReadMessageAsync(EchoResponse.Parser, timeout.Token))?.Message);
        var status = await response.ReadStatusAsync(timeout.Token);
        Assert.Equal(StatusCode.OK, status.Code);
    }

    [Fact]
    public async Task Bidi_NoMessages_EndsWithOk()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.Bidi, cancellationToken: timeout.Token);

        call.CompleteRequest();
        var response = await call.Response;
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.True(status.TrailersOnly);
        Assert.Equal(StatusCode.OK, status.Code);
    }

    [Fact]
    public async Task ClientStream_ThreeMessages_ReturnsThemJoined()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.ClientStream, cancellationToken: timeout.Token);

        foreach (var part in new[] { "a", "b", "c" })
        {
            await call.SendAsync(new EchoRequest { Message = part }, timeout.Token);
        }

        call.CompleteRequest();
        var response = await call.Response;
        var messages = await response.ReadAllMessagesAsync(EchoResponse.Parser, timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Equal("a,b,c", Assert.Single(messages).Message);
    }

    [Fact]
    public async Task ClientStream_MessagesSplitAcrossWrites_AreReassembled()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.ClientStream, cancellationToken: timeout.Token);
        var bytes = new[] { "first", "second" }.SelectMany(m => GrpcFraming.Frame(new EchoRequest { Message = m })).ToArray();

        // 3-byte DATA frames: boundaries fall inside headers and payloads alike.
        foreach (var chunk in bytes.Chunk(3))
        {
            await call.SendRawAsync(chunk, timeout.Token);
        }

        call.CompleteRequest();
        var response = await call.Response;
        var messages = await response.ReadAllMessagesAsync(EchoResponse.Parser, timeout.Token);

        Assert.Equal(StatusCode.OK, (await response.ReadStatusAsync(timeout.Token)).Code);
        Assert.Equal("first,second", Assert.Single(messages).Message);
    }

    [Fact]
    public async Task ClientStream_NoMessages_ReturnsEmptyJoin()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.ClientStream, cancellationToken: timeout.Token);

        call.CompleteRequest();
        var response = await call.Response;
        var messages = await response.ReadAllMessagesAsync(EchoResponse.Parser, timeout.Token);

        Assert.Equal(StatusCode.OK, (await response.ReadStatusAsync(timeout.Token)).Code);
        Assert.Equal(string.Empty, Assert.Single(messages).Message);
    }
}
