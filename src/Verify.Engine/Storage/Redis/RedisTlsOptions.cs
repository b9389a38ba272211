namespace Verify.Engine.Storage.Redis;

/// <summary>
/// TLS to Redis, <c>Verify:Redis:Tls</c>. Read at start: a change (a renewed client certificate, another CA)
/// takes a restart, as the one connection of a replica is opened once.
/// </summary>
internal sealed class RedisTlsOptions
{
    public const string SectionName = RedisStoreOptions.SectionName + ":Tls";

    /// <summary>Connect over TLS. <c>ssl=true</c> in the configuration string does the same.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A PEM file of the CA (or CAs) that signed Redis's certificate. When set, the server's chain must end at one
    /// of these, whatever the machine's trust store says; when not, the machine's trust store decides.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM certificate Verify presents to Redis (<c>tls-auth-clients yes</c>); with <see cref="ClientKeyPath"/>.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The unencrypted PEM private key of <see cref="ClientCertificatePath"/> (the file's permissions protect it).</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>
    /// The name Redis's certificate must carry (and the SNI sent), when it is not the host of the configuration
    /// string, e.g. Redis reached by IP with a certificate for <c>redis.internal</c>. <c>sslHost=</c> does the same.
    /// </summary>
    public string? ServerName { get; set; }
}
