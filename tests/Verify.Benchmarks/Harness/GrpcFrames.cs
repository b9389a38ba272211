using System.Buffers.Binary;
using Google.Protobuf;

namespace Verify.Benchmarks.Harness;

internal static class GrpcFrames
{
    /// <summary>An empty message, not compressed: what h2load sends and what Empty answers.</summary>
    public static readonly byte[] Empty = [0, 0, 0, 0, 0];

    public static byte[] Of(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }
}
