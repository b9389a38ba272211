namespace Verify.Grpc.Internal;

internal static class GrpcContentType
{
    /// <summary>
    /// True for <c>application/grpc</c> and <c>application/grpc+proto</c> (case-insensitive, with
    /// or without parameters). Other suffixes such as <c>+json</c> name codecs this server lacks.
    /// </summary>
    public static bool IsSupported(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcProtocolConstants.GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(GrpcProtocolConstants.GrpcContentType.Length);
        if (rest.IsEmpty || rest[0] == ';')
        {
            return true;
        }

        if (rest[0] != '+')
        {
            return false;
        }

        var subtype = rest[1..];
        var parameters = subtype.IndexOf(';');
        if (parameters >= 0)
        {
            subtype = subtype[..parameters];
        }

        return subtype.Trim().Equals("proto", StringComparison.OrdinalIgnoreCase);
    }
}
