using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class MetadataFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    private static readonly byte[] Bytes = [0x00, 0xFF, 0x10, 0x80, 0x7F];

    [Fact]
    public async Task Echo_TextAndBinaryMetadata_ComesBackAsHeadersAndTrailers()
    {
        var options = new GrpcCallOptions
        {
            Headers =
            [
                new("x-echo-text", "hello world"),
                new("x-echo-data-bin", Convert.ToBase64String(Bytes)),
                new("x-other", "not echoed"),
            ],
        };

        using var result = await EchoAsync(options);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal("hello world", result.Response.Header("x-echo-text"));
        var headerBin = result.Response.Header("x-echo-data-bin");
        Assert.NotNull(headerBin);
        Assert.DoesNotContain('=', headerBin);
        Assert.Equal(Bytes, GrpcFraming.DecodeBase64(headerBin));
        Assert.Null(result.Response.Header("x-other"));

        Assert.Equal("hello world", result.Response.Trailer("x-echo-text-trailer"));
        var trailerBin = result.Response.Trailer("x-echo-trailer-bin");
        Assert.NotNull(trailerBin);
        Assert.DoesNotContain('=', trailerBin);
        Assert.Equal(Bytes, GrpcFraming.DecodeBase64(trailerBin));
    }

    [Fact]
    public async Task Echo_MetadataWithADeadline_ComesBackAsHeadersAndTrailers()
    {
        // A call with a deadline serializes its writes; headers sent early must not block the end of the call.
        using var result = await EchoAsync(new GrpcCallOptions { Timeout = "20S", Headers = [new("x-echo-text", "timed")] });

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal("timed", result.Response.Header("x-echo-text"));
        Assert.Equal("timed", result.Response.Trailer("x-echo-text-trailer"));
        Assert.Equal("m", result.Single.Message);
    }

    [Fact]
    public async Task Echo_UnpaddedBinaryMetadata_IsDecoded()
    {
        var unpadded = Convert.ToBase64String(Bytes).TrimEnd('=');
        Assert.NotEqual(Convert.ToBase64String(Bytes), unpadded);

        using var result = await EchoAsync(new GrpcCallOptions { Headers = [new("x-echo-data-bin", unpadded)] });

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal(Bytes, GrpcFraming.DecodeBase64(result.Response.Trailer("x-echo-trailer-bin")!));
    }

    [Fact]
    public async Task Echo_UpperCaseMetadataKey_ArrivesLowerCase()
    {
        using var result = await EchoAsync(new GrpcCallOptions { Headers = [new("X-Echo-Mixed", "v")] });

        Assert.Equal("v", result.Response.Trailer("x-echo-mixed-trailer"));
    }

    [Fact]
    public async Task Echo_InvalidBase64InBinaryMetadata_ReturnsInternal()
    {
        using var result = await EchoAsync(new GrpcCallOptions { Headers = [new("x-echo-data-bin", "not*base64")] });

        Assert.Equal(StatusCode.Internal, result.Status.Code);
    }

    [Fact]
    public async Task Echo_NoEchoMetadata_SendsNoEchoHeaders()
    {
        using var result = await EchoAsync(new GrpcCallOptions { Headers = [new("x-other", "v")] });

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.DoesNotContain(result.Response.Headers, h => h.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(result.Response.Trailers, h => h.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<GrpcCallResult<EchoResponse>> EchoAsync(GrpcCallOptions options)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        return await host.Client.CallAsync(InteropPaths.Echo, new EchoRequest { Message = "m" }, EchoResponse.Parser, options, timeout.Token);
    }
}
