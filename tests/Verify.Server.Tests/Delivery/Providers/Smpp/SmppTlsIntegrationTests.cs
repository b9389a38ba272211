using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>
/// UseTls against an SMSC (npm "smpp" over Node's TLS) whose certificate no trusted authority signed:
/// the handshake must fail before the bind, so the password never crosses an unverified channel.
/// </summary>
public sealed class SmppTlsIntegrationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "verify-smpp-tls-" + Guid.NewGuid().ToString("N")[..12]);
    private SmppSmscProcess _smsc = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var keyPath = Path.Combine(_directory, "key.pem");
        var certificatePath = Path.Combine(_directory, "cert.pem");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        _smsc = await SmppSmscProcess.StartAsync(tls: (keyPath, certificatePath));
    }

    public async Task DisposeAsync()
    {
        await _smsc.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task UseTls_UntrustedCertificate_NeverBindsAndSendsFailFast()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.UseTls = true;
        await using var client = await SmppTestClient.StartAsync(options, waitBound: false);

        await _smsc.WaitForAsync("connect", count: 2);
        await client.WaitUntilAsync(() => client.Log.Lines.Any(l => l.StartsWith("403 ", StringComparison.Ordinal)), "a failed connect");
        var result = await client.SendAsync();

        Assert.False(result.Accepted);
        Assert.Contains("SMSC unreachable", result.Error);
        Assert.Contains("certificate", client.Log.Lines.First(l => l.StartsWith("403 ", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_smsc.Events("bind"));
        Assert.DoesNotContain(SmppSmscProcess.Password, string.Join("\n", client.Log.Lines));
    }
}
