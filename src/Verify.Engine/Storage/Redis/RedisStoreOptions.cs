namespace Verify.Engine.Storage.Redis;

/// <summary>The Redis store, <c>Verify:Redis</c>. Present <see cref="Configuration"/> selects it.</summary>
internal sealed class RedisStoreOptions
{
    public const string SectionName = "Verify:Redis";

    /// <summary>
    /// A StackExchange.Redis connection string, e.g. <c>10.0.0.5:6379</c>. No default. It may carry
    /// <c>user=</c>, <c>password=</c> and <c>ssl=true</c> too, but the password is better kept out of it
    /// (<see cref="Password"/>), as a connection string is copied into more places than a secret.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The Redis ACL user Verify logs in as (README, Running Redis: the one ACL line it needs). Unset: the
    /// <c>default</c> user, or <c>user=</c> of <see cref="Configuration"/>. Read at start.
    /// </summary>
    public string? User { get; set; }

    /// <summary>
    /// The password of <see cref="User"/> (or of the default user), a secret: from a secret file
    /// (<c>Verify:SecretsPath</c>, file <c>Verify__Redis__Password</c>) or the environment, so it need not sit in the
    /// connection string. Never logged. Read at start: rotate by giving the ACL user both passwords, restarting
    /// the replicas, then removing the old one.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>TLS to Redis, <c>Verify:Redis:Tls</c>.</summary>
    public RedisTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// The longest a store operation may take before the call is answered UNAVAILABLE, 50 ms to 10 s.
    /// Defaults to 1 second: Redis answers in well under a millisecond when it is healthy.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first part of every key, so several deployments can share one Redis. Defaults to <c>verify</c>.</summary>
    public string KeyPrefix { get; set; } = "verify";

    /// <summary>
    /// A new verification keeps its number's wrong codes in a row and lockout in its own record, so a wrong
    /// code touches that one key (check.lua). Defaults to false, safe while a release before this one still
    /// serves on the same Redis (a rolling upgrade): that release reads records of 25 fields only, drops the
    /// count when it rewrites a longer one, and with false every record is written its way. Reloads without a
    /// restart: set it true once no replica of the release before serves.
    /// </summary>
    public bool WrongCodesInRecord { get; set; }

    /// <summary>
    /// Each caller has its own live verification, resend cooldown, wrong codes in a row and lockout per number and
    /// purpose, while the send windows stay shared (issue 12, point 6). Defaults to true. The release before kept
    /// them per number and purpose for every caller, and does not see a caller's own: during a rolling upgrade
    /// from it set false (README, Upgrading), then true once it no longer serves. Reloads without a restart.
    /// </summary>
    public bool StatePerCaller { get; set; } = true;
}
