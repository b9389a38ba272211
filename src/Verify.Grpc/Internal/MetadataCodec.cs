using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Verify.Grpc.Internal;

/// <summary>Metadata to and from HTTP/2 headers: <c>-bin</c> values as base64 (padded or not on the way in, unpadded on the way out).</summary>
internal static class MetadataCodec
{
    public static Metadata ReadRequestHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            // A header HTTP allows but gRPC metadata does not is left out rather than failing the call.
            if (key.StartsWith(':') || GrpcProtocolConstants.FilteredRequestHeaders.Contains(key) || !MetadataEntry.IsValidKey(key))
            {
                continue;
            }

            var binary = MetadataEntry.IsBinaryKey(key);
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (!binary)
                {
                    if (MetadataEntry.IsValidTextValue(value))
                    {
                        metadata.Add(new MetadataEntry(key, value));
                    }

                    continue;
                }

                // Several binary values may arrive joined with commas.
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    metadata.Add(new MetadataEntry(key, DecodeBase64(key, part)));
                }
            }
        }

        return metadata;
    }

    public static void WriteHeaders(IHeaderDictionary headers, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var entry in metadata)
        {
            ThrowIfReserved(entry.Key);
            headers.Append(entry.Key, Encode(entry));
        }
    }

    public static void AppendTrailers(HttpResponse response, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var entry in metadata)
        {
            ThrowIfReserved(entry.Key);
            response.AppendTrailer(entry.Key, new StringValues(Encode(entry)));
        }
    }

    public static string EncodeBase64Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static string Encode(MetadataEntry entry) => entry.IsBinary ? EncodeBase64Unpadded(entry.ValueBytes) : entry.Value;

    private static byte[] DecodeBase64(string key, string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };

        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Metadata '{key}' is not valid base64."));
        }
    }

    private static void ThrowIfReserved(string key)
    {
        if (GrpcProtocolConstants.ReservedResponseHeaders.Contains(key))
        {
            throw new InvalidOperationException($"Metadata '{key}' is reserved by the gRPC protocol.");
        }
    }
}
