namespace Verify.Server.Delivery.Providers;

/// <summary>A receipt request's body, read up to a limit, so an endpoint open to the internet cannot be made to buffer without end.</summary>
internal static class ReceiptBody
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes)
    {
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
        {
            length += read;
            if (length > maxBytes)
            {
                return null;
            }
        }

        return buffer[..length];
    }
}
