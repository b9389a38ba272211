using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Verify.Engine.Storage.Redis;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>
/// TLS for a <see cref="RedisServerProcess"/>: its certificate and key, the CA it checks client certificates
/// against, whether it demands one, and what the process's own probe (PING at start, <c>TryCommand</c>) trusts and presents.
/// </summary>
internal sealed record RedisServerTls(
    string CertificatePath,
    string KeyPath,
    string CaCertificatePath,
    bool RequireClientCertificates,
    string? ProbeCertificatePath = null,
    string? ProbeKeyPath = null,
    string ProbeHost = "127.0.0.1")
{
    /// <summary>Only the TLS port is opened: a client in the clear finds nothing listening.</summary>
    public IEnumerable<string> Arguments(int port) =>
    [
        "--port", "0", "--tls-port", port.ToString(CultureInfo.InvariantCulture),
        "--tls-cert-file", CertificatePath, "--tls-key-file", KeyPath, "--tls-ca-cert-file", CaCertificatePath,
        "--tls-auth-clients", RequireClientCertificates ? "yes" : "optional",
    ];

    /// <summary>The probe's TLS session over a connected socket, trusting only <see cref="CaCertificatePath"/>.</summary>
    public Stream Open(Stream network)
    {
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = ProbeHost,
            RemoteCertificateValidationCallback = RedisServerCertificateValidator.Load(CaCertificatePath).Validate,
        };
        if (ProbeCertificatePath is not null)
        {
            options.ClientCertificates = [X509Certificate2.CreateFromPemFile(ProbeCertificatePath, ProbeKeyPath)];
        }

        ssl.AuthenticateAsClient(options);
        return ssl;
    }
}
