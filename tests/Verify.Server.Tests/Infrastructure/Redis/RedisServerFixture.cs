namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>One real redis-server for a test class, with the settings of deploy/redis/redis.conf that matter to Verify.</summary>
public sealed class RedisServerFixture : RedisStoreSource
{
    internal RedisServerProcess Server { get; } = RedisServerProcess.Start("--maxmemory-policy", "noeviction");

    public override string ConnectionString => Server.EndPoint;

    public override void Dispose()
    {
        base.Dispose();
        Server.Dispose();
    }
}
