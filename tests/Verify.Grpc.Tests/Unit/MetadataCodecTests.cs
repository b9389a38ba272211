using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Verify.Grpc.Internal;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Unit;

public sealed class MetadataCodecTests
{
    private static readonly byte[] OneByte = [0xFB];
    private static readonly byte[] TwoBytes = [0xFB, 0xEF];
    private static readonly byte[] ThreeBytes = [0x01, 0x02, 0x03];

    [Fact]
    public void ReadRequestHeaders_ProtocolHeaders_AreNotMetadata()
    {
        var headers = new HeaderDictionary
        {
            ["content-type"] = "application/grpc",
            ["te"] = "trailers",
            ["host"] = "localhost",
            ["grpc-timeout"] = "1S",
            ["grpc-encoding"] = "gzip",
            ["grpc-accept-encoding"] = "identity,gzip",
            ["accept-encoding"] = "gzip",
            ["content-length"] = "10",
            ["x-user"] = "alice",
        };

        var metadata = MetadataCodec.ReadRequestHeaders(headers);

        var entry = Assert.Single(metadata);
        Assert.Equal("x-user", entry.Key);
        Assert.Equal("alice", entry.Value);
    }

    [Theory]
    [InlineData("+w==")]
    [InlineData("+w")]
    public void ReadRequestHeaders_BinaryOneByte_PaddedAndUnpaddedBothDecode(string base64)
    {
        var metadata = MetadataCodec.ReadRequestHeaders(new HeaderDictionary { ["x-data-bin"] = base64 });

        Assert.Equal(OneByte, metadata.GetValueBytes("x-data-bin"));
    }

    [Theory]
    [InlineData("++8=")]
    [InlineData("++8")]
    public void ReadRequestHeaders_BinaryTwoBytes_PaddedAndUnpaddedBothDecode(string base64)
    {
        var metadata = MetadataCodec.ReadRequestHeaders(new HeaderDictionary { ["x-data-bin"] = base64 });

        Assert.Equal(TwoBytes, metadata.GetValueBytes("x-data-bin"));
    }

    [Fact]
    public void ReadRequestHeaders_HeaderNotValidAsMetadata_IsLeftOutAndTheRestKept()
    {
        var metadata = MetadataCodec.ReadRequestHeaders(new HeaderDictionary
        {
            ["x-echo~tilde"] = "a",
            ["x-utf8"] = "caf\u00e9",
            ["x-good"] = "b",
        });

        var entry = Assert.Single(metadata);
        Assert.Equal(("x-good", "b"), (entry.Key, entry.Value));
    }

    [Fact]
    public void ReadRequestHeaders_CommaJoinedBinaryValues_BecomeSeparateEntries()
    {
        var joined = $"{Convert.ToBase64String(OneByte).TrimEnd('=')}, {Convert.ToBase64String(TwoBytes)},{Convert.ToBase64String(ThreeBytes)}";

        var metadata = MetadataCodec.ReadRequestHeaders(new HeaderDictionary { ["x-data-bin"] = joined });

        Assert.Equal([OneByte, TwoBytes, ThreeBytes], metadata.GetAll("x-data-bin").Select(e => e.ValueBytes));
    }

    [Fact]
    public void ReadRequestHeaders_RepeatedBinaryHeader_KeepsEveryValue()
    {
        var metadata = MetadataCodec.ReadRequestHeaders(new HeaderDictionary
        {
            ["x-data-bin"] = new Microsoft.Extensions.Primitives.StringValues(["+w", "AQID"]),
        });

        Assert.Equal([OneByte, ThreeBytes], metadata.GetAll("x-data-bin").Select(e => e.ValueBytes));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("A")]
    [InlineData("@@@@")]
    public void ReadRequestHeaders_InvalidBase64_ThrowsInternal(string value)
    {
        var exception = Assert.Throws<RpcException>(() => MetadataCodec.ReadRequestHeaders(new HeaderDictionary { ["x-data-bin"] = value }));

        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public void WriteHeaders_BinaryEntries_AreUnpaddedBase64()
    {
        var headers = new HeaderDictionary();
        var metadata = new Metadata { { "x-one-bin", OneByte }, { "x-two-bin", TwoBytes }, { "x-three-bin", ThreeBytes }, { "x-text", "plain" } };

        MetadataCodec.WriteHeaders(headers, metadata);

        Assert.Equal("+w", headers["x-one-bin"]);
        Assert.Equal("++8", headers["x-two-bin"]);
        Assert.Equal("AQID", headers["x-three-bin"]);
        Assert.Equal("plain", headers["x-text"]);
    }

    [Fact]
    public void WriteHeaders_WrittenBinary_ReadsBackToTheSameBytes()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var headers = new HeaderDictionary();

        MetadataCodec.WriteHeaders(headers, new Metadata { { "x-all-bin", bytes } });

        Assert.Equal(bytes, MetadataCodec.ReadRequestHeaders(headers).GetValueBytes("x-all-bin"));
    }

    [Theory]
    [InlineData("content-type")]
    [InlineData("grpc-status")]
    [InlineData("grpc-message")]
    [InlineData("grpc-encoding")]
    [InlineData("grpc-accept-encoding")]
    public void WriteHeaders_ReservedKey_Throws(string key)
    {
        var headers = new HeaderDictionary();

        Assert.Throws<InvalidOperationException>(() => MetadataCodec.WriteHeaders(headers, new Metadata { { key, "x" } }));
        Assert.False(headers.ContainsKey(key));
    }

    [Theory]
    [InlineData("grpc-status")]
    [InlineData("grpc-message")]
    public void AppendTrailers_ReservedKey_Throws(string key)
    {
        var context = CreateContextWithTrailers(out _);

        Assert.Throws<InvalidOperationException>(() => MetadataCodec.AppendTrailers(context.Response, new Metadata { { key, "x" } }));
    }

    [Fact]
    public void AppendTrailers_TextAndBinary_AppendsEncodedTrailers()
    {
        var context = CreateContextWithTrailers(out var trailers);

        MetadataCodec.AppendTrailers(context.Response, new Metadata { { "x-text", "v" }, { "x-data-bin", TwoBytes } });

        Assert.Equal("v", trailers["x-text"]);
        Assert.Equal("++8", trailers["x-data-bin"]);
    }

    private static DefaultHttpContext CreateContextWithTrailers(out IHeaderDictionary trailers)
    {
        var feature = new TestResponseTrailersFeature();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseTrailersFeature>(feature);
        trailers = feature.Trailers;
        return context;
    }
}
