using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>A throwaway server certificate for 127.0.0.1 and localhost, written as a PFX file.</summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private SelfSignedCertificate(X509Certificate2 certificate, string pfxPath, string password)
    {
        Certificate = certificate;
        PfxPath = pfxPath;
        Password = password;
    }

    public X509Certificate2 Certificate { get; }

    public string PfxPath { get; }

    public string Password { get; }

    public static SelfSignedCertificate Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));

        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(Path.GetTempPath(), $"verify-grpc-tests-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new SelfSignedCertificate(certificate, path, password);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        File.Delete(PfxPath);
    }
}
