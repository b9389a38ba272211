using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Verify.Server.Hosting;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Hosting;

/// <summary>
/// <c>Verify:Redis:User</c>, <c>Password</c> and <c>Tls:*</c> as AddVerify checks them at start: each setting that
/// would not connect as meant is refused naming its key, and no refusal repeats a password.
/// </summary>
public sealed class RedisConnectionSettingsValidationTests : IDisposable
{
    private const string Secret = "s3cret-Redis-pw";

    private readonly string _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "verify-redis-settings-" + Guid.NewGuid().ToString("N")[..12])).FullName;
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("Settings test CA");

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void AllSettings_Valid_Start()
    {
        var (certificate, key) = _authority.IssueClient(_directory, "client", "verify");

        Build(new()
        {
            ["Verify:Redis:User"] = "verify",
            ["Verify:Redis:Password"] = Secret,
            ["Verify:Redis:Tls:Enabled"] = "true",
            ["Verify:Redis:Tls:CaCertificatePath"] = _authority.WriteCertificate(_directory, "ca.crt"),
            ["Verify:Redis:Tls:ClientCertificatePath"] = certificate,
            ["Verify:Redis:Tls:ClientKeyPath"] = key,
            ["Verify:Redis:Tls:ServerName"] = "redis.internal.test",
        });
    }

    [Theory]
    [InlineData("Verify:Redis:Tls:CaCertificatePath", "/nonexistent/ca.crt", "Verify:Redis:Tls:CaCertificatePath: no file at /nonexistent/ca.crt")]
    [InlineData("Verify:Redis:Tls:ClientKeyPath", "/some/client.key", "Verify:Redis:Tls:ClientKeyPath: set without Verify:Redis:Tls:ClientCertificatePath")]
    [InlineData("Verify:Redis:Tls:ClientCertificatePath", "/some/client.crt", "Verify:Redis:Tls:ClientCertificatePath: set without Verify:Redis:Tls:ClientKeyPath")]
    [InlineData("Verify:Redis:Tls:ServerName", "not a host", "Verify:Redis:Tls:ServerName: not a host name or IP address")]
    [InlineData("Verify:Redis:User", "verify", "Verify:Redis:Password: required with Verify:Redis:User")]
    public void OneBadSetting_RefusedNamingItsKey(string key, string value, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Verify:Redis:Tls:Enabled"] = "true", [key] = value }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaFileWithoutACertificate_RefusedNamingTheKey()
    {
        var path = Path.Combine(_directory, "empty.crt");
        File.WriteAllText(path, "not a certificate\n");

        var exception = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Verify:Redis:Tls:Enabled"] = "true", ["Verify:Redis:Tls:CaCertificatePath"] = path }));

        Assert.Contains("Verify:Redis:Tls:CaCertificatePath: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("holds no PEM certificate", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientKeyOfAnotherCertificate_RefusedNamingTheCertificate()
    {
        var (certificate, _) = _authority.IssueClient(_directory, "one", "verify");
        var (_, otherKey) = _authority.IssueClient(_directory, "two", "verify");

        var exception = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["Verify:Redis:Tls:Enabled"] = "true",
            ["Verify:Redis:Tls:ClientCertificatePath"] = certificate,
            ["Verify:Redis:Tls:ClientKeyPath"] = otherKey,
        }));

        Assert.Contains("Verify:Redis:Tls:ClientCertificatePath: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsSettingsWithTlsOff_Refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Verify:Redis:Tls:CaCertificatePath"] = _authority.WriteCertificate(_directory, "ca.crt") }));

        Assert.Contains("Verify:Redis:Tls:CaCertificatePath: set, but TLS to Redis is off; set Verify:Redis:Tls:Enabled=true", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SslTrueInTheString_CountsAsTlsOn()
    {
        Build(new() { ["Verify:Redis:Configuration"] = "127.0.0.1:1,ssl=true", ["Verify:Redis:Tls:CaCertificatePath"] = _authority.WriteCertificate(_directory, "ca.crt") });
    }

    [Fact]
    public void PasswordInTheStringAndAsAKey_RefusedWithoutRepeatingEither()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["Verify:Redis:Configuration"] = $"127.0.0.1:1,password={Secret}",
            ["Verify:Redis:Password"] = Secret + "-2",
        }));

        Assert.Contains("Verify:Redis:Password: the configuration string has password= too; set it in one place", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedString_ErrorQuotingThePassword_Masked()
    {
        // StackExchange.Redis quotes a bad value; here the password was pasted into another keyword too.
        var exception = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Verify:Redis:Configuration"] = $"127.0.0.1:1,password={Secret},syncTimeout={Secret}" }));

        Assert.Contains("Verify:Redis:Configuration: not a StackExchange.Redis connection string", exception.Message, StringComparison.Ordinal);
        Assert.Contains("*****", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionSettingsWithTheEmbeddedStore_RefusedNamingEach()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddLogging().AddVerify(
            Configuration(new() { ["Verify:Redis:Password"] = Secret, ["Verify:Redis:Tls:Enabled"] = "true" }), Environment(Environments.Development)));

        Assert.Contains("Verify:Redis:Password: set without Verify:Redis:Configuration", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Verify:Redis:Tls:Enabled: set without Verify:Redis:Configuration", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>AddVerify in Development on a Redis (port 1: nothing is dialled at AddVerify) with an HMAC key and the given settings.</summary>
    private static void Build(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Verify:Redis:Configuration"] = "127.0.0.1:1",
            ["Verify:Hashing:ActiveKeyId"] = "k1",
            ["Verify:Hashing:Keys:k1"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray()),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        new ServiceCollection().AddLogging().AddVerify(Configuration(all), Environment(Environments.Development));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static IHostEnvironment Environment(string name) => new TestEnvironment { EnvironmentName = name };
}
