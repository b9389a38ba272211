using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Verify.Grpc.Internal;

/// <summary>Writes one length-prefixed message straight into the response pipe, without a copy when uncompressed.</summary>
internal static class PipeMessageWriter
{
    public static void WriteMessage(PipeWriter writer, IMessage message, MessageEncoding encoding, int? maxMessageSize)
    {
        var size = message.CalculateSize();
        if (size > (maxMessageSize ?? int.MaxValue))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size."));
        }

        if (encoding == MessageEncoding.Identity)
        {
            var span = writer.GetSpan(GrpcProtocolConstants.HeaderSize + size);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(GrpcProtocolConstants.HeaderSize, size));
            writer.Advance(GrpcProtocolConstants.HeaderSize + size);
            return;
        }

        var compressed = GzipCompression.Compress(message.ToByteArray());
        var target = writer.GetSpan(GrpcProtocolConstants.HeaderSize + compressed.Length);
        target[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(target[1..], (uint)compressed.Length);
        compressed.CopyTo(target[GrpcProtocolConstants.HeaderSize..]);
        writer.Advance(GrpcProtocolConstants.HeaderSize + compressed.Length);
    }
}
