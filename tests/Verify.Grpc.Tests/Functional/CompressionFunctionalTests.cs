using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class CompressionFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    [Fact]
    public async Task Echo_GzipRequestAcceptingGzip_ReturnsGzipCompressedResponse()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        var options = new GrpcCallOptions { CompressRequest = true, AcceptEncoding = "identity,gzip" };

        using var response = await host.Client.SendAsync(InteropPaths.Echo, new EchoRequest { Message = "zip", ResponsePayloadSize = 1000 }, options, timeout.Token);
        var frame = await response.ReadFrameAsync(timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Equal("gzip", response.Header("grpc-encoding"));
        Assert.NotNull(frame);
        Assert.True(frame.Compressed);
        Assert.True(frame.Payload.Length < 1000, "1,000 repeated bytes should compress");
        var message = EchoResponse.Parser.ParseFrom(GrpcFraming.Gunzip(frame.Payload));
        Assert.Equal("zip", message.Message);
        Assert.Equal(Enumerable.Repeat((byte)'a', 1000), message.Payload.ToByteArray());
    }

    [Fact]
    public async Task Echo_GzipRequestNotAcceptingGzip_ReturnsUncompressedResponse()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        var options = new GrpcCallOptions { CompressRequest = true, AcceptEncoding = "identity" };

        using var response = await host.Client.SendAsync(InteropPaths.Echo, new EchoRequest { Message = "zip", ResponsePayloadSize = 1000 }, options, timeout.Token);
        var frame = await response.ReadFrameAsync(timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Null(response.Header("grpc-encoding"));
        Assert.NotNull(frame);
        Assert.False(frame.Compressed);
        Assert.Equal("zip", EchoResponse.Parser.ParseFrom(frame.Payload).Message);
    }

    [Fact]
    public async Task Echo_IdentityRequestAcceptingGzip_AnswersLikeTheRequest()
    {
        // Without ResponseCompressionAlgorithm the response follows the request's encoding (as grpc-go does).
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.Echo, new EchoRequest { ResponsePayloadSize = 1000 }, EchoResponse.Parser, new GrpcCallOptions { AcceptEncoding = "gzip" }, timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Null(result.Response.Header("grpc-encoding"));
        Assert.Equal(1000, result.Single.Payload.Length);
    }

    [Fact]
    public async Task Echo_UnsupportedGrpcEncoding_ReturnsUnimplementedWithAcceptedEncodings()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var response = await host.Client.SendAsync(InteropPaths.Echo, new EchoRequest { Message = "x" }, new GrpcCallOptions { Encoding = "br" }, timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.Unimplemented, status.Code);
        var accepted = response.Header("grpc-accept-encoding");
        Assert.NotNull(accepted);
        Assert.Contains("gzip", accepted.Split(',', StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("br", accepted.Split(',', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Bidi_GzipRequests_AreInflatedAndEchoed()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.Bidi, new GrpcCallOptions { CompressRequest = true }, timeout.Token);

        await call.SendAsync(new EchoRequest { Message = "one" }, timeout.Token);
        await call.SendAsync(new EchoRequest { Message = "two" }, timeout.Token);
        call.CompleteRequest();
        var response = await call.Response;
        var messages = await response.ReadAllMessagesAsync(EchoResponse.Parser, timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Equal(["one", "two"], messages.Select(m => m.Message));
    }
}
