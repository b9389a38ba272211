using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Security;

/// <summary>
/// Names the caller of a gRPC call: by an API key (<c>authorization: Bearer &lt;key&gt;</c>), else by the
/// subject CN of its client certificate, and checks the networks it may call from. With
/// authentication off (allowed in Development only), every call is <see cref="Caller.Anonymous"/>.
/// </summary>
internal sealed class CallerAuthenticator(CallerDirectory callers, ClientCertificateAuthority? authority, bool enabled)
{
    private const string BearerPrefix = "Bearer ";

    public bool Enabled => enabled;

    public Caller Authenticate(ServerCallContext context)
    {
        if (!enabled)
        {
            return Caller.Anonymous;
        }

        var caller = FromApiKey(context) ?? FromCertificate(context)
            ?? throw VerifyErrors.Unauthenticated("No credentials: send authorization: Bearer <api key>, or a client certificate.");
        return caller.MayCallFrom(context.GetHttpContext().Connection.RemoteIpAddress)
            ? caller
            : throw VerifyErrors.PermissionDenied($"Caller {caller.Name} may not call from this network.");
    }

    public static string HashApiKey(string key) => HashApiKey(key, stackalloc char[SHA256.HashSizeInBytes * 2]).ToString();

    /// <summary>The lowercase hex SHA-256 of the key's UTF-8, written into <paramref name="hex"/>; nothing allocated for a key of up to 1 KB.</summary>
    private static ReadOnlySpan<char> HashApiKey(ReadOnlySpan<char> key, Span<char> hex)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var utf8 = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        Convert.TryToHexStringLower(hash, hex, out _);
        return hex;
    }

    private Caller? FromApiKey(ServerCallContext context)
    {
        // From the HTTP request: context.RequestHeaders builds a Metadata of every header (lower-casing each) on first use.
        string? header = context.GetHttpContext().Request.Headers.Authorization;
        if (header is null)
        {
            return null;
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
        {
            throw VerifyErrors.Unauthenticated("The authorization metadata must be: Bearer <api key>.");
        }

        // The lookup is by SHA-256 of the presented key: its timing says nothing about any configured key.
        return callers.TryFindByKeyHash(HashApiKey(header.AsSpan(BearerPrefix.Length).Trim(), stackalloc char[SHA256.HashSizeInBytes * 2]), out var caller)
            ? caller
            : throw VerifyErrors.Unauthenticated("The API key is not valid.");
    }

    private Caller? FromCertificate(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is null || authority is null)
        {
            return null;
        }

        if (authority.Validate(certificate) is { } problem)
        {
            throw VerifyErrors.Unauthenticated($"Client certificate refused: {problem}.");
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return callers.TryFindByName(name, out var caller)
            ? caller
            : throw VerifyErrors.Unauthenticated($"The client certificate names {name}, which is not a configured caller.");
    }
}
