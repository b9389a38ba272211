using System.IO.Pipelines;

namespace Verify.Benchmarks.Harness;

/// <summary>A response body that keeps only the last bytes written into one reused buffer, and counts them.</summary>
internal sealed class CountingBodyWriter : PipeWriter
{
    private readonly byte[] _buffer = new byte[64 * 1024];

    public long BytesWritten { get; private set; }

    /// <summary>The start of the buffer: the whole body when it fits in one span, as small answers do.</summary>
    public ReadOnlySpan<byte> Head(int length) => _buffer.AsSpan(0, length);

    public void Rewind() => BytesWritten = 0;

    public override void Advance(int bytes) => BytesWritten += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) =>
        sizeHint <= _buffer.Length ? _buffer : throw new NotSupportedException("The benchmark writer holds 64 KiB.");

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        new(new FlushResult(isCanceled: false, isCompleted: false));

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
