using System.Buffers;

namespace Verify.Delivery.Providers;

/// <summary>
/// A receipt request's body, read up to a limit, so an endpoint open to the internet cannot be made to
/// buffer without end: a declared Content-Length over the limit is refused before anything is read, and
/// the buffer grows with what arrives rather than being taken at the limit's size up front.
/// </summary>
internal static class ReceiptBody
{
    private const int ChunkBytes = 8 * 1024;

    /// <summary>Whether the request declares a body larger than <paramref name="maxBytes"/> (chunked bodies declare none and are checked while read).</summary>
    public static bool DeclaresMoreThan(HttpRequest request, int maxBytes) => request.ContentLength > maxBytes;

    /// <summary>The body, or null when it is (or declares itself) larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (DeclaresMoreThan(request, maxBytes))
        {
            return null;
        }

        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? ChunkBytes, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkBytes), request.HttpContext.RequestAborted)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return null;
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.ToArray();
    }
}
