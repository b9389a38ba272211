using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// Accepts Redis's certificate only when its chain ends at one of the CAs of <see cref="RedisTlsOptions.CaCertificatePath"/>
/// and it names the host Verify dialled (or <see cref="RedisTlsOptions.ServerName"/>). The machine's trust store plays
/// no part: a certificate from a public CA, which anyone can get for their own name, does not pass for Redis.
/// </summary>
internal sealed class RedisServerCertificateValidator
{
    // id-kp-serverAuth: a certificate issued for clients only is not a server's.
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _authorities;

    private RedisServerCertificateValidator(X509Certificate2Collection authorities) => _authorities = authorities;

    /// <summary>Reads the CAs of a PEM file; an unreadable file or one without a certificate throws, saying which.</summary>
    public static RedisServerCertificateValidator Load(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException($"{path} is not a PEM certificate file ({exception.Message})", exception);
        }

        return authorities.Count == 0 ? throw new InvalidOperationException($"{path} holds no PEM certificate") : new RedisServerCertificateValidator(authorities);
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> of the connection.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        // A missing certificate or a name mismatch is never excused; an untrusted chain is re-checked against our CAs.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);

        // A private CA for Redis rarely publishes a CRL or OCSP responder; a Redis key is retired by replacing the CA
        // or the certificate, and an online check would make every reconnect depend on one more server.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the server sent; trust still comes only from the custom store.
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
