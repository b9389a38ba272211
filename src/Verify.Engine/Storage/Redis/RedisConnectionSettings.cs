using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// <see cref="RedisStoreOptions"/> turned into StackExchange.Redis's <see cref="ConfigurationOptions"/>: the
/// connection string, then the user, password and TLS settings given as keys of their own. <see cref="Validate"/>
/// runs at start and names the key of each problem; <see cref="Describe"/> says how Verify reaches Redis
/// without saying the password.
/// </summary>
internal static partial class RedisConnectionSettings
{
    private const string Section = RedisStoreOptions.SectionName;
    private const string TlsSection = RedisTlsOptions.SectionName;
    private const string Mask = "*****";

    /// <summary>The options to connect with. The files are read here; <see cref="Validate"/> has said at start if they cannot be.</summary>
    /// <param name="logger">Where a server certificate refused by the CA check is said.</param>
    public static ConfigurationOptions Build(RedisStoreOptions options, ILogger? logger = null)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        if (!string.IsNullOrEmpty(options.User))
        {
            configuration.User = options.User;
        }

        if (!string.IsNullOrEmpty(options.Password))
        {
            configuration.Password = options.Password;
        }

        LeaveOutWhatVerifyDoesNotUse(configuration, options.Configuration!);
        var tls = options.Tls;
        if (tls.Enabled)
        {
            configuration.Ssl = true;
        }

        if (!string.IsNullOrEmpty(tls.ServerName))
        {
            configuration.SslHost = tls.ServerName;
        }

        if (!string.IsNullOrEmpty(tls.CaCertificatePath))
        {
            configuration.CertificateValidation += RedisServerCertificateValidator.Load(tls.CaCertificatePath, logger).Validate;
        }

        if (!string.IsNullOrEmpty(tls.ClientCertificatePath))
        {
            var certificate = LoadClientCertificate(tls);
            configuration.CertificateSelection += (_, _, _, _, _) => certificate;
        }

        return configuration;
    }

    /// <summary>
    /// What StackExchange.Redis does by default that Verify needs not and its ACL user may not (README, Running Redis), unless
    /// the connection string asks for it: read a tie-breaker key outside Verify's prefix (only for several primaries claiming
    /// the role, which neither one server, Sentinel nor Cluster has), subscribe to a channel announcing primaries changed by
    /// another client (Verify changes none), and read <c>CONFIG GET</c> at connect (which may show secrets). Each would be
    /// refused by the ACL at every connect and fill Redis's ACL LOG, where a refusal should mean something is wrong.
    /// </summary>
    private static void LeaveOutWhatVerifyDoesNotUse(ConfigurationOptions configuration, string text)
    {
        if (!text.Contains("tiebreaker=", StringComparison.OrdinalIgnoreCase))
        {
            configuration.TieBreaker = string.Empty;
        }

        if (!text.Contains("configChannel=", StringComparison.OrdinalIgnoreCase))
        {
            configuration.ConfigurationChannel = string.Empty;
        }

        // A string with $COMMAND= entries maps renamed commands itself; leave its map as it is.
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            configuration.CommandMap = CommandMap.Create(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CONFIG" }, available: false);
        }
    }

    /// <summary>Adds a problem, naming its key, for each setting that would not connect as the operator meant.</summary>
    public static void Validate(RedisStoreOptions options, TimeProvider timeProvider, List<string> problems)
    {
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(options.Configuration!);
        }
        catch (ArgumentException exception)
        {
            // The message may quote a part of the string, which may be the password.
            problems.Add($"{Section}:Configuration: not a StackExchange.Redis connection string ({MaskSecrets(exception.Message.Split('\n')[0], options)})");
            return;
        }

        if (!string.IsNullOrEmpty(options.User))
        {
            if (!string.IsNullOrEmpty(parsed.User))
            {
                problems.Add($"{Section}:User: the configuration string has user= too; set it in one place");
            }

            if (options.User.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                problems.Add($"{Section}:User: must have no spaces or control characters");
            }
        }

        if (!string.IsNullOrEmpty(options.Password) && !string.IsNullOrEmpty(parsed.Password))
        {
            problems.Add($"{Section}:Password: the configuration string has password= too; set it in one place");
        }

        if (!string.IsNullOrEmpty(options.User ?? parsed.User) && string.IsNullOrEmpty(options.Password ?? parsed.Password))
        {
            problems.Add($"{Section}:Password: required with {Section}:User (an ACL user logs in with its password)");
        }

        ValidateTls(options.Tls, parsed, timeProvider, problems);
    }

    /// <summary>The keys that only mean something with a Redis of the operator's (not with the embedded store).</summary>
    public static IEnumerable<string> ConnectionKeysSet(RedisStoreOptions options)
    {
        var tls = options.Tls;
        (string Key, bool Set)[] keys =
        [
            ($"{Section}:User", !string.IsNullOrEmpty(options.User)),
            ($"{Section}:Password", !string.IsNullOrEmpty(options.Password)),
            ($"{TlsSection}:Enabled", tls.Enabled),
            ($"{TlsSection}:CaCertificatePath", !string.IsNullOrEmpty(tls.CaCertificatePath)),
            ($"{TlsSection}:ClientCertificatePath", !string.IsNullOrEmpty(tls.ClientCertificatePath)),
            ($"{TlsSection}:ClientKeyPath", !string.IsNullOrEmpty(tls.ClientKeyPath)),
            ($"{TlsSection}:ServerName", !string.IsNullOrEmpty(tls.ServerName)),
        ];
        return keys.Where(k => k.Set).Select(k => k.Key);
    }

    /// <summary>Where and how Verify reaches Redis, for the startup log: endpoints, user, whether a password and TLS are used; never the password.</summary>
    public static string Describe(RedisStoreOptions options)
    {
        var parsed = ConfigurationOptions.Parse(options.Configuration!);
        var endpoints = string.Join(" ", parsed.EndPoints.Select(Format));
        var user = options.User is { Length: > 0 } ? options.User : parsed.User is { Length: > 0 } ? parsed.User : "default";
        var password = HasPassword(options, parsed) ? "with a password" : "without a password";
        var tls = !UsesTls(options, parsed) ? "without TLS"
            : options.Tls.CaCertificatePath is { Length: > 0 } ? "over TLS (server checked against the CA file)" : "over TLS";
        var client = options.Tls.ClientCertificatePath is { Length: > 0 } ? ", client certificate" : string.Empty;
        return $"{endpoints} as user {user} {password}, {tls}{client}";
    }

    /// <summary>
    /// Whether anyone on the path or able to reach Redis could write Verify's keys: no password, or a host
    /// other than this machine reached without TLS.
    /// </summary>
    public static bool IsExposed(RedisStoreOptions options)
    {
        var parsed = ConfigurationOptions.Parse(options.Configuration!);
        return !HasPassword(options, parsed) || (!UsesTls(options, parsed) && !parsed.EndPoints.All(IsLoopback));
    }

    /// <summary>The text with every password Verify knows of (the option's and any password= of the string) replaced by a mask.</summary>
    public static string MaskSecrets(string text, RedisStoreOptions options)
    {
        var secrets = PasswordInString().Matches(options.Configuration ?? string.Empty).Select(m => m.Groups[1].Value).ToList();
        if (!string.IsNullOrEmpty(options.Password))
        {
            secrets.Add(options.Password);
        }

        // Longest first, so a password containing a shorter one is masked whole.
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private static void ValidateTls(RedisTlsOptions tls, ConfigurationOptions parsed, TimeProvider timeProvider, List<string> problems)
    {
        (string Name, string? Value)[] settings =
        [
            (nameof(RedisTlsOptions.CaCertificatePath), tls.CaCertificatePath),
            (nameof(RedisTlsOptions.ClientCertificatePath), tls.ClientCertificatePath),
            (nameof(RedisTlsOptions.ClientKeyPath), tls.ClientKeyPath),
            (nameof(RedisTlsOptions.ServerName), tls.ServerName),
        ];
        if (!tls.Enabled && !parsed.Ssl)
        {
            // A CA or client certificate given for a connection in the clear means the operator thinks it is encrypted.
            foreach (var (name, _) in settings.Where(s => !string.IsNullOrEmpty(s.Value)))
            {
                problems.Add($"{TlsSection}:{name}: set, but TLS to Redis is off; set {TlsSection}:Enabled=true");
            }

            return;
        }

        if (!string.IsNullOrEmpty(tls.ServerName))
        {
            if (!string.IsNullOrEmpty(parsed.SslHost))
            {
                problems.Add($"{TlsSection}:ServerName: the configuration string has sslHost= too; set it in one place");
            }

            if (Uri.CheckHostName(tls.ServerName) is UriHostNameType.Unknown)
            {
                problems.Add($"{TlsSection}:ServerName: not a host name or IP address");
            }
        }

        var hasCertificate = !string.IsNullOrEmpty(tls.ClientCertificatePath);
        var hasKey = !string.IsNullOrEmpty(tls.ClientKeyPath);
        if (hasCertificate != hasKey)
        {
            problems.Add(hasKey
                ? $"{TlsSection}:ClientKeyPath: set without {TlsSection}:ClientCertificatePath"
                : $"{TlsSection}:ClientCertificatePath: set without {TlsSection}:ClientKeyPath");
        }

        // Each file named is there (a typo in a mounted path is the likeliest mistake, and is said plainly).
        var missing = settings.Where(s => s.Name.EndsWith("Path", StringComparison.Ordinal) && !string.IsNullOrEmpty(s.Value) && !File.Exists(s.Value)).ToList();
        foreach (var (name, value) in missing)
        {
            problems.Add($"{TlsSection}:{name}: no file at {value}");
        }

        if (missing.Count > 0)
        {
            return;
        }

        if (!string.IsNullOrEmpty(tls.CaCertificatePath))
        {
            Check($"{TlsSection}:CaCertificatePath", () => RedisServerCertificateValidator.Load(tls.CaCertificatePath), problems);
        }

        if (hasCertificate && hasKey)
        {
            Check($"{TlsSection}:ClientCertificatePath", () =>
            {
                using var certificate = LoadClientCertificate(tls);
                if (certificate.NotAfter.ToUniversalTime() < timeProvider.GetUtcNow().UtcDateTime)
                {
                    throw new InvalidOperationException($"{tls.ClientCertificatePath} expired on {certificate.NotAfter.ToUniversalTime():u}");
                }
            }, problems);
        }
    }

    private static X509Certificate2 LoadClientCertificate(RedisTlsOptions tls)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(tls.ClientCertificatePath!, tls.ClientKeyPath);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that is not the certificate's.
            throw new InvalidOperationException(
                $"{tls.ClientCertificatePath} with {tls.ClientKeyPath}: not a PEM certificate and its unencrypted PEM key ({exception.Message})", exception);
        }
    }

    private static void Check(string key, Action load, List<string> problems)
    {
        try
        {
            load();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException or CryptographicException)
        {
            problems.Add($"{key}: {exception.Message}");
        }
    }

    private static bool HasPassword(RedisStoreOptions options, ConfigurationOptions parsed) =>
        !string.IsNullOrEmpty(options.Password) || !string.IsNullOrEmpty(parsed.Password);

    private static bool UsesTls(RedisStoreOptions options, ConfigurationOptions parsed) => options.Tls.Enabled || parsed.Ssl;

    private static bool IsLoopback(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
        DnsEndPoint dns => dns.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(dns.Host, out var address) && IPAddress.IsLoopback(address)),
        _ => false,
    };

    private static string Format(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint { Port: 0 } dns => dns.Host,
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint { Port: 0 } ip => ip.Address.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    [GeneratedRegex("password=([^,]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordInString();
}
