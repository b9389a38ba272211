using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// Accepts Redis's certificate only when its chain ends at one of the CAs of <see cref="RedisTlsOptions.CaCertificatePath"/>
/// and it names the host Verify dialled (or <see cref="RedisTlsOptions.ServerName"/>). The machine's trust store plays
/// no part: a certificate from a public CA, which anyone can get for their own name, does not pass for Redis.
/// </summary>
internal sealed partial class RedisServerCertificateValidator
{
    // id-kp-serverAuth: a certificate issued for clients only is not a server's.
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _authorities;
    private readonly ILogger _logger;

    private RedisServerCertificateValidator(X509Certificate2Collection authorities, ILogger logger)
    {
        _authorities = authorities;
        _logger = logger;
    }

    /// <summary>Reads the CAs of a PEM file; an unreadable file or one without a certificate throws, saying which.</summary>
    /// <param name="logger">Where a refused certificate is said, with why (the client library's own error may not say).</param>
    public static RedisServerCertificateValidator Load(string path, ILogger? logger = null)
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

        return authorities.Count == 0 ? throw new InvalidOperationException($"{path} holds no PEM certificate") : new RedisServerCertificateValidator(authorities, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> of the connection.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? "?";
        if (certificate is null)
        {
            Log.Refused(_logger, host, "-", "it showed no certificate");
            return false;
        }

        // A name mismatch is never excused; an untrusted chain is re-checked against our CAs.
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            Log.Refused(_logger, host, certificate.Subject, $"it does not name {host} (set {RedisTlsOptions.SectionName}:ServerName to the name it carries)");
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

        if (chain.Build(leaf))
        {
            return true;
        }

        var why = string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct());
        Log.Refused(_logger, host, certificate.Subject, $"it does not chain to {RedisTlsOptions.SectionName}:CaCertificatePath (issuer {certificate.Issuer}: {why})");
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(614, LogLevel.Error, "Redis's certificate at {Host} ({Subject}) was refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string host, string subject, string reason);
    }
}
