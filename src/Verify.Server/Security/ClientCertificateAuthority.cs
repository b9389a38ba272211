using System.Security.Cryptography.X509Certificates;

namespace Verify.Server.Security;

/// <summary>
/// Decides whether a client certificate was issued by one of the configured authorities and is valid
/// now. Kestrel accepts any client certificate during the handshake; the decision is made here, so a
/// caller gets a gRPC UNAUTHENTICATED that says why instead of a failed TLS handshake.
/// </summary>
internal sealed class ClientCertificateAuthority(X509Certificate2Collection authorities, TimeProvider timeProvider)
{
    public static ClientCertificateAuthority Load(string path, TimeProvider timeProvider)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities.Count == 0
            ? throw new InvalidOperationException($"{path} holds no certificate")
            : new ClientCertificateAuthority(authorities, timeProvider);
    }

    /// <summary>Null when valid, else why not (safe to tell the caller).</summary>
    public string? Validate(X509Certificate2 certificate)
    {
        var now = timeProvider.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return "the client certificate is expired or not yet valid";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);

        // Revocation: callers are few and known; a compromised certificate is removed by taking its
        // subject out of Verify:Callers (a reload), which works without CRL or OCSP infrastructure.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate) ? null : "the client certificate is not issued by a trusted authority";
    }
}
