using System.Buffers.Binary;
using System.IO.Compression;

namespace Verify.Grpc.Internal;

/// <summary>The gzip message encoding (RFC 1952), both ways.</summary>
internal static class GzipCompression
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length / 2 + 32);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Inflates at most <paramref name="maxLength"/> bytes; returns null when the data inflates to
    /// more, so that a small compressed bomb cannot make the server allocate without bound.
    /// </summary>
    public static byte[]? Decompress(byte[] compressed, int maxLength)
    {
        // GZipStream ends quietly at a cut-off stream, so a truncated message could parse as a shorter
        // valid one. A whole member has a 10-byte header and an 8-byte trailer whose last 4 bytes are
        // the inflated length mod 2^32 (RFC 1952 ISIZE); zlib checks the CRC beside it.
        if (compressed.Length < 18)
        {
            throw new InvalidDataException("The gzip stream is truncated.");
        }

        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[Math.Min(81920, Math.Max(1, maxLength) + 1)];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > maxLength)
            {
                return null;
            }

            output.Write(buffer, 0, read);
        }

        var declaredLength = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        if (declaredLength != (uint)output.Length)
        {
            throw new InvalidDataException("The gzip stream is truncated.");
        }

        return output.ToArray();
    }
}
