using System.IO.Pipelines;
using Google.Protobuf;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Internal;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Unit;

public sealed class PipeMessageReaderTests
{
    private const int MaxSize = 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ReadMessageAsync_OneMessage_ReturnsItThenNullAtEnd()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Message = "hello", Payload = ByteString.CopyFromUtf8("payload") };
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(sent));

        Assert.Equal(sent, await ReadAsync(pipe));
        Assert.Null(await ReadAsync(pipe));
    }

    [Fact]
    public async Task ReadMessageAsync_MessageWrittenByteByByte_ReturnsItOnlyAfterTheLastByte()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Message = "split across many writes", Payload = ByteString.CopyFrom(new byte[300]) };
        var frame = GrpcFraming.Frame(sent);
        var read = ReadAsync(pipe);

        for (var i = 0; i < frame.Length - 1; i++)
        {
            await pipe.Writer.WriteAsync(frame.AsMemory(i, 1));
        }

        // Give a wrong implementation the chance to return early before the final byte.
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        await pipe.Writer.WriteAsync(frame.AsMemory(frame.Length - 1, 1));

        Assert.Equal(sent, await read.WaitAsync(Bound));
    }

    [Fact]
    public async Task ReadMessageAsync_SeveralMessagesInOneWrite_ReturnsEachInOrder()
    {
        var pipe = new Pipe();
        var sent = Enumerable.Range(0, 5).Select(i => new EchoRequest { Message = $"m{i}" }).ToList();
        await WriteAndCompleteAsync(pipe, sent.SelectMany(m => GrpcFraming.Frame(m)).ToArray());

        foreach (var expected in sent)
        {
            Assert.Equal(expected, await ReadAsync(pipe));
        }

        Assert.Null(await ReadAsync(pipe));
    }

    [Fact]
    public async Task ReadMessageAsync_SegmentedAcrossBuffers_ReturnsEachMessage()
    {
        // Pipe segments are 4 KiB by default: messages of 3,000 bytes straddle segment boundaries.
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 512));
        var sent = Enumerable.Range(0, 4).Select(i => new EchoRequest { Payload = ByteString.CopyFrom(Enumerable.Repeat((byte)i, 3000).ToArray()) }).ToList();
        var bytes = sent.SelectMany(m => GrpcFraming.Frame(m)).ToArray();
        var reads = Task.Run(async () =>
        {
            var received = new List<EchoRequest>();
            while (await ReadAsync(pipe, maxSize: 4000) is { } message)
            {
                received.Add(message);
            }

            return received;
        });

        foreach (var chunk in bytes.Chunk(700))
        {
            await pipe.Writer.WriteAsync(chunk);
        }

        await pipe.Writer.CompleteAsync();
        Assert.Equal(sent, await reads.WaitAsync(Bound));
    }

    [Fact]
    public async Task ReadMessageAsync_EmptyMessage_ReturnsDefaultMessage()
    {
        var pipe = new Pipe();
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame([], compressed: false));

        Assert.Equal(new EchoRequest(), await ReadAsync(pipe));
        Assert.Null(await ReadAsync(pipe));
    }

    [Fact]
    public async Task ReadMessageAsync_DeclaredLengthOverMax_ThrowsResourceExhaustedBeforeThePayloadArrives()
    {
        var pipe = new Pipe();

        // Only the header is written and the pipe stays open: the reader must decide from the header alone.
        await pipe.Writer.WriteAsync(GrpcFraming.FrameWithDeclaredLength([], compressed: false, declaredLength: MaxSize + 1));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe).WaitAsync(Bound));
        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_DeclaredLengthAtMax_IsAccepted()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Payload = ByteString.CopyFrom(new byte[MaxSize - 3]) };
        Assert.Equal(MaxSize, sent.CalculateSize());
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(sent));

        Assert.Equal(sent, await ReadAsync(pipe));
    }

    [Fact]
    public async Task ReadMessageAsync_TruncatedMessage_ThrowsInternal()
    {
        var pipe = new Pipe();
        await WriteAndCompleteAsync(pipe, GrpcFraming.FrameWithDeclaredLength([1, 2, 3], compressed: false, declaredLength: 10));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_TruncatedHeader_ThrowsInternal()
    {
        var pipe = new Pipe();
        await WriteAndCompleteAsync(pipe, [0, 0, 0]);

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_InvalidProtobuf_ThrowsInternal()
    {
        var pipe = new Pipe();

        // Field 1, length-delimited, declares 5 bytes but only 1 follows.
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame([0x0A, 0x05, 0x61], compressed: false));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_CompressedFlagWithIdentityEncoding_ThrowsInternal()
    {
        var pipe = new Pipe();
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(new EchoRequest { Message = "x" }, compress: true));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe, encoding: MessageEncoding.Identity));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_UnknownCompressedFlag_ThrowsInternal()
    {
        var pipe = new Pipe();
        var frame = GrpcFraming.Frame(new EchoRequest { Message = "x" });
        frame[0] = 2;
        await WriteAndCompleteAsync(pipe, frame);

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_GzipMessage_ReturnsInflatedMessage()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Message = "compressed", Payload = ByteString.CopyFrom(new byte[500]) };
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(sent, compress: true));

        Assert.Equal(sent, await ReadAsync(pipe, encoding: MessageEncoding.Gzip));
    }

    [Fact]
    public async Task ReadMessageAsync_GzipInflatingPastMax_ThrowsResourceExhausted()
    {
        var pipe = new Pipe();
        var bomb = new EchoRequest { Payload = ByteString.CopyFrom(new byte[100 * MaxSize]) };
        var frame = GrpcFraming.Frame(bomb, compress: true);
        Assert.True(frame.Length < MaxSize, "the compressed frame itself must be under the limit");
        await WriteAndCompleteAsync(pipe, frame);

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe, encoding: MessageEncoding.Gzip));
        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_CorruptGzip_ThrowsInternal()
    {
        var pipe = new Pipe();

        // A valid gzip header followed by a deflate block of an invalid type.
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], compressed: true));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe, encoding: MessageEncoding.Gzip));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadMessageAsync_TruncatedGzipStream_ThrowsInternal()
    {
        var pipe = new Pipe();
        var compressed = GrpcFraming.Gzip(new EchoRequest { Message = new string('x', 2000) }.ToByteArray());

        // A well-framed message whose gzip member stops after its 10-byte header: it inflates to
        // nothing, which parses as an empty message instead of failing.
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(compressed.AsSpan(0, 10), compressed: true));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(pipe, encoding: MessageEncoding.Gzip));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadSingleMessageAsync_OneMessage_ReturnsIt()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Message = "only" };
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(sent));

        Assert.Equal(sent, await ReadSingleAsync(pipe));
    }

    [Fact]
    public async Task ReadSingleMessageAsync_WholeRequestAlreadyReceived_CompletesWithoutWaiting()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Message = "whole" };
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame(sent));

        var read = PipeMessageReader.ReadSingleMessageAsync(pipe.Reader, EchoRequest.Parser, MessageEncoding.Identity, MaxSize, CancellationToken.None);

        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(sent, await read);
    }

    [Fact]
    public async Task ReadSingleMessageAsync_WholeRequestWithInvalidProtobuf_ThrowsInternalAndLeavesTheReaderUsable()
    {
        var pipe = new Pipe();
        await WriteAndCompleteAsync(pipe, GrpcFraming.Frame([0x0A, 0x05, 0x61], compressed: false));

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadSingleAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);

        // The failed read was advanced past, so a later read (the call's own cleanup) does not throw.
        Assert.True(pipe.Reader.TryRead(out var rest));
        pipe.Reader.AdvanceTo(rest.Buffer.End);
    }

    [Fact]
    public async Task ReadSingleMessageAsync_NoMessage_ThrowsInternal()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync();

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadSingleAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadSingleMessageAsync_DataAfterTheMessage_ThrowsInternal()
    {
        var pipe = new Pipe();
        await WriteAndCompleteAsync(pipe, [.. GrpcFraming.Frame(new EchoRequest { Message = "one" }), .. GrpcFraming.Frame(new EchoRequest { Message = "two" })]);

        var exception = await Assert.ThrowsAsync<RpcException>(() => ReadSingleAsync(pipe));
        Assert.Equal(StatusCode.Internal, exception.StatusCode);
    }

    [Fact]
    public async Task ReadSingleMessageAsync_EndOfStreamArrivesLater_WaitsForItThenReturns()
    {
        var pipe = new Pipe();
        var sent = new EchoRequest { Message = "only" };
        await pipe.Writer.WriteAsync(GrpcFraming.Frame(sent));
        var read = ReadSingleAsync(pipe);

        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        await pipe.Writer.CompleteAsync();

        Assert.Equal(sent, await read.WaitAsync(Bound));
    }

    private static async Task WriteAndCompleteAsync(Pipe pipe, byte[] bytes)
    {
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
    }

    private static Task<EchoRequest?> ReadAsync(Pipe pipe, MessageEncoding encoding = MessageEncoding.Identity, int maxSize = MaxSize) =>
        PipeMessageReader.ReadMessageAsync(pipe.Reader, EchoRequest.Parser, encoding, maxSize, CancellationToken.None).AsTask();

    private static Task<EchoRequest> ReadSingleAsync(Pipe pipe) =>
        PipeMessageReader.ReadSingleMessageAsync(pipe.Reader, EchoRequest.Parser, MessageEncoding.Identity, MaxSize, CancellationToken.None).AsTask();
}
