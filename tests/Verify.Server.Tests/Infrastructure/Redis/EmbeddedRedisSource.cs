using Verify.EmbeddedRedis;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>
/// The embedded store a newcomer's <c>dotnet run</c> gets: Verify's own server in the test process, one for the
/// whole run (each store under its own key prefix, as on redis-server).
/// </summary>
public sealed class EmbeddedRedisSource : RedisStoreSource
{
    private static readonly Lazy<EmbeddedRedisSource> s_shared = new(() => new EmbeddedRedisSource());

    private readonly EmbeddedRedisServer _server = new();

    public static EmbeddedRedisSource Shared => s_shared.Value;

    public override string ConnectionString => _server.ConnectionString;
}
