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

        return output.ToArray();
    }
}
