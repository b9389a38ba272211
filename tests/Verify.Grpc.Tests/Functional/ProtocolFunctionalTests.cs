using System.Net;
using Google.Protobuf;
using Verify.Grpc.InteropHost;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

/// <summary>Requests a real client would not send, and the answers the protocol prescribes for them.</summary>
public sealed class ProtocolFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    private static readonly byte[] EchoFrame = GrpcFraming.Frame(new EchoRequest { Message = "x" });

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc+json")]
    [InlineData("text/plain")]
    public async Task Echo_UnsupportedContentType_Returns415(string contentType)
    {
        using var response = await SendAsync(InteropPaths.Echo, EchoFrame, new GrpcCallOptions { ContentType = contentType });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
    }

    [Fact]
    public async Task Echo_NoContentType_Returns415()
    {
        using var response = await SendAsync(InteropPaths.Echo, EchoFrame, new GrpcCallOptions { ContentType = null });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
    }

    [Fact]
    public async Task Echo_Get_Returns405()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        var request = new HttpRequestMessage(HttpMethod.Get, InteropPaths.Echo) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await host.Client.SendAsync(request, timeout.Token);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.HttpStatus);
        Assert.Equal("POST", response.Header("Allow"));
    }

    [Fact]
    public async Task UnknownMethodOfKnownService_ReturnsUnimplementedTrailersOnly()
    {
        using var response = await SendAsync(InteropPaths.Interop("NoSuchMethod"), EchoFrame);
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.True(status.TrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, status.Code);
        Assert.Equal("Method is unimplemented.", status.Message);
    }

    [Fact]
    public async Task UnknownService_ReturnsUnimplementedTrailersOnly()
    {
        using var response = await SendAsync("/no.such.v1.Service/Echo", EchoFrame);
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.True(status.TrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, status.Code);
        Assert.Equal("Service is unimplemented.", status.Message);
    }

    [Fact]
    public async Task Echo_MethodNameInWrongCase_ReturnsUnimplemented()
    {
        using var response = await SendAsync(InteropPaths.Interop("echo"), EchoFrame);
        var messages = await response.ReadAllMessagesAsync(EchoResponse.Parser, CancellationToken.None);
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Empty(messages);
        Assert.Equal(StatusCode.Unimplemented, status.Code);
        Assert.Equal("Method is unimplemented.", status.Message);
    }

    [Fact]
    public async Task Echo_DeclaredLengthOverLimit_AnswersBeforeThePayloadIsSent()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var call = host.Client.StartStreaming(InteropPaths.Echo, cancellationToken: timeout.Token);

        // Only the 5-byte header, and the request stays open: the server must refuse from the header alone.
        await call.SendRawAsync(GrpcFraming.FrameWithDeclaredLength([], compressed: false, declaredLength: 10_000_000), timeout.Token);
        var response = await call.Response.WaitAsync(timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.ResourceExhausted, status.Code);
    }

    [Fact]
    public async Task Echo_MessageOverReceiveLimit_ReturnsResourceExhausted()
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[70_000]) };
        Assert.True(request.CalculateSize() > InteropHostApp.MaxReceiveMessageSize);

        using var response = await SendAsync(InteropPaths.Echo, GrpcFraming.Frame(request));
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.ResourceExhausted, status.Code);
    }

    [Fact]
    public async Task Echo_MessageAtReceiveLimit_Succeeds()
    {
        // The field tag and a 3-byte length take 4 bytes: the message is exactly the limit.
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[InteropHostApp.MaxReceiveMessageSize - 4]) };
        Assert.Equal(InteropHostApp.MaxReceiveMessageSize, request.CalculateSize());

        using var response = await SendAsync(InteropPaths.Echo, GrpcFraming.Frame(request));
        var messages = await response.ReadAllMessagesAsync(EchoResponse.Parser, CancellationToken.None);
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Equal(request.Payload, Assert.Single(messages).Payload);
    }

    [Fact]
    public async Task Echo_FrameShorterThanDeclared_ReturnsInternal()
    {
        using var response = await SendAsync(InteropPaths.Echo, GrpcFraming.FrameWithDeclaredLength([0x0A, 0x01, 0x61], compressed: false, declaredLength: 10));
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.Internal, status.Code);
    }

    [Fact]
    public async Task Echo_MalformedProtobuf_ReturnsInternal()
    {
        // Field 1, length-delimited, declares 5 bytes but only 1 follows.
        using var response = await SendAsync(InteropPaths.Echo, GrpcFraming.Frame([0x0A, 0x05, 0x61], compressed: false));
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.Internal, status.Code);
    }

    [Fact]
    public async Task Echo_NoRequestMessage_ReturnsInternal()
    {
        using var response = await SendAsync(InteropPaths.Echo, []);
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.Internal, status.Code);
    }

    [Fact]
    public async Task Echo_TwoRequestMessages_ReturnsInternal()
    {
        using var response = await SendAsync(InteropPaths.Echo, [.. EchoFrame, .. EchoFrame]);
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.Internal, status.Code);
    }

    [Fact]
    public async Task Echo_CompressedFlagWithoutGrpcEncoding_ReturnsInternal()
    {
        using var response = await SendAsync(InteropPaths.Echo, GrpcFraming.Frame(new EchoRequest { Message = "x" }, compress: true));
        var status = await response.ReadStatusAsync(CancellationToken.None);

        Assert.Equal(StatusCode.Internal, status.Code);
    }

    private async Task<GrpcResponse> SendAsync(string path, byte[] body, GrpcCallOptions? options = null)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        return await host.Client.SendAsync(path, body, options, timeout.Token);
    }
}
