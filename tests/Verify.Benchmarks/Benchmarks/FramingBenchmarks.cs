using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Verify.Benchmarks.Harness;
using Verify.Grpc.Internal;
using Verify.Grpc.InteropHost.V1;

namespace Verify.Benchmarks.Benchmarks;

/// <summary>Length-prefixed message framing: reading the single request message and writing the answer.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int MaxReceiveMessageSize = 64 * 1024;

    private static readonly MessageParser<Empty> EmptyParser = new(() => new Empty());
    private static readonly MessageParser<EchoRequest> EchoParser = new(() => new EchoRequest());

    private readonly FixedBodyReader _emptyBody = new(GrpcFrames.Empty);
    private readonly FixedBodyReader _echoBody = new(GrpcFrames.Of(SampleEcho()));
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly CountingBodyWriter _writer = new();
    private readonly Empty _empty = new();
    private readonly EchoRequest _echo = SampleEcho();

    [Benchmark(Description = "Read Empty (body complete in memory)")]
    public async Task<Empty> ReadEmpty()
    {
        _emptyBody.Rewind();
        return await PipeMessageReader.ReadSingleMessageAsync(_emptyBody, EmptyParser, MessageEncoding.Identity, MaxReceiveMessageSize, CancellationToken.None);
    }

    [Benchmark(Description = "Read Empty through a Pipe")]
    public async Task<Empty> ReadEmptyThroughPipe()
    {
        await _pipe.Writer.WriteAsync(GrpcFrames.Empty);
        await _pipe.Writer.CompleteAsync();
        var message = await PipeMessageReader.ReadSingleMessageAsync(_pipe.Reader, EmptyParser, MessageEncoding.Identity, MaxReceiveMessageSize, CancellationToken.None);
        await _pipe.Reader.CompleteAsync();
        _pipe.Reset();
        return message;
    }

    [Benchmark(Description = "Read EchoRequest (40-char text, 128-byte payload)")]
    public async Task<EchoRequest> ReadEcho()
    {
        _echoBody.Rewind();
        return await PipeMessageReader.ReadSingleMessageAsync(_echoBody, EchoParser, MessageEncoding.Identity, MaxReceiveMessageSize, CancellationToken.None);
    }

    [Benchmark(Description = "Write Empty")]
    public long WriteEmpty()
    {
        _writer.Rewind();
        PipeMessageWriter.WriteMessage(_writer, _empty, MessageEncoding.Identity, maxMessageSize: null);
        return _writer.BytesWritten;
    }

    [Benchmark(Description = "Write EchoRequest")]
    public long WriteEcho()
    {
        _writer.Rewind();
        PipeMessageWriter.WriteMessage(_writer, _echo, MessageEncoding.Identity, maxMessageSize: null);
        return _writer.BytesWritten;
    }

    private static EchoRequest SampleEcho() => new()
    {
        Message = new string('m', 40),
        Payload = ByteString.CopyFrom(new byte[128]),
    };
}
