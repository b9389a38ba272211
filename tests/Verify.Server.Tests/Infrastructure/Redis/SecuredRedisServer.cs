using System.Security.Cryptography;
using StackExchange.Redis;
using Verify.Engine.Storage.Redis;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>
/// A redis-server run as README ("Running Redis") tells an operator to: TLS only, with certificates from a CA made for
/// this run; the default user off; Verify's own ACL user with exactly the documented rules (<see cref="VerifyRules"/>);
/// and an <c>admin</c> user for the test's own inspection. Everything lives in a temporary directory, removed on dispose.
/// </summary>
internal sealed class SecuredRedisServer : IDisposable
{
    public const string VerifyUser = "verify";

    /// <summary>The default <c>Verify:Redis:KeyPrefix</c>, which the documented key pattern <c>~verify:*</c> matches.</summary>
    public const string KeyPrefix = "verify";

    /// <summary>
    /// The rules of Verify's ACL user, as README gives them (a test checks README carries this very text): its keys
    /// only, no channel, and only the commands Verify, its scripts (a script's commands are checked against the
    /// caller's ACL too) and StackExchange.Redis's handshake send. Each was found needed by taking it out and running
    /// <c>RedisAclTlsIntegrationTests.Engine_OverTlsAsTheAclUser_*</c> (all but HDEL, which only refunds use).
    /// </summary>
    public const string VerifyRules =
        "~verify:* resetchannels -@all +ping +echo +info +client|setname +client|id +cluster|nodes +time " +
        "+evalsha +eval +script|load +get +set +setex +del +unlink +pexpire +pttl +hget +hset +hdel +hexists +hgetall " +
        "+zadd +zrem +zcard +zcount +zrange +zrangebyscore +zremrangebyscore";

    private readonly TestCertificateAuthority _authority;
    private readonly TestCertificateAuthority? _otherAuthority;

    private SecuredRedisServer(string directory, TestCertificateAuthority authority, TestCertificateAuthority? otherAuthority)
    {
        Directory = directory;
        _authority = authority;
        _otherAuthority = otherAuthority;
        CaCertificatePath = authority.WriteCertificate(directory, "ca.crt");
        (ClientCertificatePath, ClientKeyPath) = authority.IssueClient(directory, "verify-client", "verify");
    }

    public string Directory { get; }

    public RedisServerProcess Server { get; private set; } = null!;

    /// <summary>The CA Verify trusts (<c>Verify:Redis:Tls:CaCertificatePath</c>).</summary>
    public string CaCertificatePath { get; }

    public string ClientCertificatePath { get; }

    public string ClientKeyPath { get; }

    public string VerifyPassword { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string AdminPassword { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <param name="requireClientCertificates"><c>tls-auth-clients yes</c> (else <c>optional</c>).</param>
    /// <param name="serverNames">The names in Redis's certificate; by default 127.0.0.1 and localhost.</param>
    /// <param name="serverUnderAnotherCa">Redis's certificate (and the CA it checks clients against) from a CA Verify does not trust.</param>
    public static SecuredRedisServer Start(bool requireClientCertificates = false, string[]? serverNames = null, bool serverUnderAnotherCa = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), "verify-redis-tls-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var authority = TestCertificateAuthority.Create("Verify test Redis CA");
        var other = serverUnderAnotherCa ? TestCertificateAuthority.Create("Some other CA") : null;
        var secured = new SecuredRedisServer(directory, authority, other);
        try
        {
            secured.Server = secured.StartServer(requireClientCertificates, serverNames ?? ["127.0.0.1", "localhost"]);
            return secured;
        }
        catch
        {
            secured.Dispose();
            throw;
        }
    }

    /// <summary>Verify's settings for this Redis: the <c>verify</c> user over TLS, trusting the run's CA.</summary>
    public RedisStoreOptions StoreOptions(string? password = null, bool clientCertificate = false, string? serverName = null) => new()
    {
        Configuration = Server.EndPoint,
        User = VerifyUser,
        Password = password ?? VerifyPassword,
        KeyPrefix = KeyPrefix,
        OperationTimeout = TimeSpan.FromSeconds(2),
        WrongCodesInRecord = true,
        Tls = new RedisTlsOptions
        {
            Enabled = true,
            CaCertificatePath = CaCertificatePath,
            ClientCertificatePath = clientCertificate ? ClientCertificatePath : null,
            ClientKeyPath = clientCertificate ? ClientKeyPath : null,
            ServerName = serverName,
        },
    };

    /// <summary>The same settings as configuration keys, for a whole Verify host.</summary>
    public Dictionary<string, string?> Settings(string? password = null) => new()
    {
        ["Verify:Redis:Configuration"] = Server.EndPoint,
        ["Verify:Redis:User"] = VerifyUser,
        ["Verify:Redis:Password"] = password ?? VerifyPassword,
        ["Verify:Redis:Tls:Enabled"] = "true",
        ["Verify:Redis:Tls:CaCertificatePath"] = CaCertificatePath,
    };

    /// <summary>A connection as <c>admin</c> (every command), for what the test inspects.</summary>
    public ConnectionMultiplexer ConnectAdmin() => ConnectionMultiplexer.Connect(Connection("admin", AdminPassword));

    /// <summary>A plain client connection as the <c>verify</c> user, for what a test tries in its name.</summary>
    public ConnectionMultiplexer ConnectAsVerify() => ConnectionMultiplexer.Connect(Connection(VerifyUser, VerifyPassword));

    public void Dispose()
    {
        Server?.Dispose();
        _authority.Dispose();
        _otherAuthority?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ConfigurationOptions Connection(string user, string password)
    {
        var options = RedisConnectionSettings.Build(new RedisStoreOptions
        {
            Configuration = Server.EndPoint + ",allowAdmin=true,abortConnect=false",
            User = user,
            Password = password,
            Tls = new RedisTlsOptions { Enabled = true, CaCertificatePath = CaCertificatePath },
        });

        // Let CONFIG through the client, so that a test sees Redis refuse it, not StackExchange.Redis.
        options.CommandMap = CommandMap.Default;
        return options;
    }

    private RedisServerProcess StartServer(bool requireClientCertificates, string[] serverNames)
    {
        var issuer = _otherAuthority ?? _authority;
        var (certificate, key) = issuer.IssueServer(Directory, "redis-server", serverNames);
        var issuerPath = issuer.WriteCertificate(Directory, "server-ca.crt");

        // The probe (PING at start, TryCommand) is a client like any other: under tls-auth-clients yes it needs a certificate.
        var (probeCertificate, probeKey) = issuer.IssueClient(Directory, "probe", "probe");
        var tls = new RedisServerTls(certificate, key, issuerPath, requireClientCertificates, probeCertificate, probeKey, serverNames[0]);
        var acl = Path.Combine(Directory, "users.acl");
        File.WriteAllLines(acl,
        [
            "user default off",
            $"user admin on >{AdminPassword} ~* &* +@all",
            $"user {VerifyUser} on >{VerifyPassword} {VerifyRules}",
        ]);
        return RedisServerProcess.Start(tls, ("admin", AdminPassword), "--aclfile", acl, "--maxmemory-policy", "noeviction");
    }
}
