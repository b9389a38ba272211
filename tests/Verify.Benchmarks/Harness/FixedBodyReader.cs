using System.Buffers;
using System.IO.Pipelines;

namespace Verify.Benchmarks.Harness;

/// <summary>
/// A request body that is already complete in memory, as Kestrel usually hands over a small unary
/// request (HEADERS and DATA with END_STREAM in one read). Rewound per call, so it allocates nothing.
/// </summary>
internal sealed class FixedBodyReader(byte[] body) : PipeReader
{
    private ReadOnlySequence<byte> _remaining = new(body);

    public void Rewind() => _remaining = new ReadOnlySequence<byte>(body);

    public override bool TryRead(out ReadResult result)
    {
        result = new ReadResult(_remaining, isCanceled: false, isCompleted: true);
        return true;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        new(new ReadResult(_remaining, isCanceled: false, isCompleted: true));

    public override void AdvanceTo(SequencePosition consumed) => _remaining = _remaining.Slice(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => AdvanceTo(consumed);

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
