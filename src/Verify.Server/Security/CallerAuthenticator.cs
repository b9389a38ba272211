using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Verify.Server.Verification;

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

    public static string HashApiKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private Caller? FromApiKey(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null)
        {
            return null;
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
        {
            throw VerifyErrors.Unauthenticated("The authorization metadata must be: Bearer <api key>.");
        }

        // The lookup is by SHA-256 of the presented key: its timing says nothing about any configured key.
        return callers.TryFindByKeyHash(HashApiKey(header[BearerPrefix.Length..].Trim()), out var caller)
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
