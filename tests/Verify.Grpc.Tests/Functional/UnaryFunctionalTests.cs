using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class UnaryFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    [Fact]
    public async Task Echo_ValidRequest_ReturnsMessageThenStatusOkInTrailers()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        var request = new EchoRequest { Message = "hello", Payload = ByteString.CopyFrom([1, 2, 3]) };

        using var result = await host.Client.CallAsync(InteropPaths.Echo, request, EchoResponse.Parser, cancellationToken: timeout.Token);

        Assert.Equal(HttpStatusCode.OK, result.Response.HttpStatus);
        Assert.Equal(HttpVersion.Version20, result.Response.Version);
        Assert.Equal("application/grpc", result.Response.ContentType);
        Assert.Equal(new EchoResponse { Message = "hello", Payload = request.Payload }, result.Single);
        Assert.False(result.Status.TrailersOnly);
        Assert.Equal("0", result.Response.Trailer("grpc-status"));
        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Null(result.Response.Header("grpc-status"));
    }

    [Fact]
    public async Task Echo_ContentTypeGrpcProto_IsAccepted()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.Echo, new EchoRequest { Message = "proto" }, EchoResponse.Parser, new GrpcCallOptions { ContentType = "application/grpc+proto" }, timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal("proto", result.Single.Message);
    }

    [Fact]
    public async Task Empty_EmptyMessages_ReturnsEmptyFrameAndOk()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var response = await host.Client.SendAsync(InteropPaths.Interop("Empty"), new Empty(), cancellationToken: timeout.Token);
        var frame = await response.ReadFrameAsync(timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.NotNull(frame);
        Assert.Empty(frame.Payload);
        Assert.Equal(StatusCode.OK, status.Code);
    }

    [Fact]
    public async Task Echo_WithGenerousDeadline_Succeeds()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.Echo, new EchoRequest { Message = "in time" }, EchoResponse.Parser, new GrpcCallOptions { Timeout = "30S" }, timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal("in time", result.Single.Message);
    }

    [Theory]
    [InlineData("99999999H")]
    [InlineData("99999999S")]
    public async Task Echo_DeadlineBeyondTimerRange_Succeeds(string grpcTimeout)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.Echo, new EchoRequest { Message = "far" }, EchoResponse.Parser, new GrpcCallOptions { Timeout = grpcTimeout }, timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal("far", result.Single.Message);
    }

    [Fact]
    public async Task Echo_LargeResponse_ArrivesWhole()
    {
        const int size = 1_000_000;
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.Echo, new EchoRequest { ResponsePayloadSize = size }, EchoResponse.Parser, cancellationToken: timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal(size, result.Single.Payload.Length);
        Assert.All(result.Single.Payload, b => Assert.Equal((byte)'a', b));
    }

    [Fact]
    public async Task Echo_InvalidTimeoutHeader_IsIgnored()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.Echo, new EchoRequest { Message = "no deadline" }, EchoResponse.Parser, new GrpcCallOptions { Timeout = "soon" }, timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal("no deadline", result.Single.Message);
    }
}
