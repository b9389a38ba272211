using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>
/// The client side of the message framing, written independently of Verify.Grpc so that the tests
/// do not check the library against itself.
/// </summary>
public static class GrpcFraming
{
    public const int HeaderSize = 5;

    public static byte[] Frame(IMessage message, bool compress = false) =>
        compress ? Frame(Gzip(message.ToByteArray()), compressed: true) : Frame(message.ToByteArray(), compressed: false);

    public static byte[] Frame(ReadOnlySpan<byte> payload, bool compressed) =>
        FrameWithDeclaredLength(payload, compressed, (uint)payload.Length);

    /// <summary>A frame whose header may lie about the payload length, to build malformed requests.</summary>
    public static byte[] FrameWithDeclaredLength(ReadOnlySpan<byte> payload, bool compressed, uint declaredLength)
    {
        var frame = new byte[HeaderSize + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength);
        payload.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Base64 as gRPC metadata allows it: padding optional.</summary>
    public static byte[] DecodeBase64(string value) => Convert.FromBase64String((value.Length % 4) switch
    {
        2 => value + "==",
        3 => value + "=",
        _ => value,
    });
}
