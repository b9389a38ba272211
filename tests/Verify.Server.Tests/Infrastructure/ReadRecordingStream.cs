namespace Verify.Server.Tests.Infrastructure;

/// <summary>A request body that records whether anyone read it, for endpoints that must refuse before reading.</summary>
internal sealed class ReadRecordingStream(byte[] content) : MemoryStream(content)
{
    public bool WasRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        WasRead = true;
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        WasRead = true;
        return base.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        WasRead = true;
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        WasRead = true;
        return base.ReadAsync(buffer, cancellationToken);
    }
}
