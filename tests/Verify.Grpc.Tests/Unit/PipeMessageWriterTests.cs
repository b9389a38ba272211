using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Internal;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Unit;

public sealed class PipeMessageWriterTests
{
    [Fact]
    public async Task WriteMessage_Identity_WritesFlagZeroBigEndianLengthAndPayload()
    {
        var message = new EchoResponse { Message = "hi", Payload = ByteString.CopyFrom(new byte[300]) };

        var written = await WriteAsync(message, MessageEncoding.Identity, maxSize: null);

        var payload = message.ToByteArray();
        Assert.Equal(0, written[0]);
        Assert.Equal((uint)payload.Length, BinaryPrimitives.ReadUInt32BigEndian(written.AsSpan(1, 4)));
        Assert.Equal(payload, written[5..]);
    }

    [Fact]
    public async Task WriteMessage_IdentityEmptyMessage_WritesFiveZeroBytes()
    {
        var written = await WriteAsync(new EchoResponse(), MessageEncoding.Identity, maxSize: null);

        Assert.Equal(new byte[5], written);
    }

    [Fact]
    public async Task WriteMessage_Gzip_WritesFlagOneAndDecompressablePayload()
    {
        var message = new EchoResponse { Message = "compress me", Payload = ByteString.CopyFrom(Enumerable.Repeat((byte)'a', 2000).ToArray()) };

        var written = await WriteAsync(message, MessageEncoding.Gzip, maxSize: null);

        Assert.Equal(1, written[0]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(written.AsSpan(1, 4));
        Assert.Equal(written.Length - 5, (int)length);
        Assert.True(length < message.CalculateSize(), "a repetitive payload should shrink");
        Assert.Equal(message, EchoResponse.Parser.ParseFrom(GrpcFraming.Gunzip(written[5..])));
    }

    [Fact]
    public async Task WriteMessage_OverMaxSendSize_ThrowsResourceExhaustedAndWritesNothing()
    {
        var message = new EchoResponse { Payload = ByteString.CopyFrom(new byte[200]) };
        var pipe = new Pipe();

        var exception = Assert.Throws<RpcException>(() => PipeMessageWriter.WriteMessage(pipe.Writer, message, MessageEncoding.Identity, 100));

        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
        Assert.Empty(await DrainAsync(pipe));
    }

    [Fact]
    public async Task WriteMessage_ExactlyMaxSendSize_IsWritten()
    {
        var message = new EchoResponse { Payload = ByteString.CopyFrom(new byte[98]) };
        Assert.Equal(100, message.CalculateSize());

        var written = await WriteAsync(message, MessageEncoding.Identity, maxSize: 100);

        Assert.Equal(105, written.Length);
    }

    private static async Task<byte[]> WriteAsync(IMessage message, MessageEncoding encoding, int? maxSize)
    {
        var pipe = new Pipe();
        PipeMessageWriter.WriteMessage(pipe.Writer, message, encoding, maxSize);
        return await DrainAsync(pipe);
    }

    private static async Task<byte[]> DrainAsync(Pipe pipe)
    {
        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAtLeastAsync(int.MaxValue);
        var bytes = result.Buffer.ToArray();
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }
}
