using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure.Redis;
using Xunit.Abstractions;

namespace Verify.Server.Tests.Properties;

/// <summary>The same property over one real redis-server, started for this class on a free loopback port.</summary>
public sealed class RedisStorePropertiesIntegrationTests(RedisServerFixture redis, ITestOutputHelper output)
    : StoreProperties(output), IClassFixture<RedisServerFixture>
{
    private protected override IVerificationStore CreateStore(TimeProvider time) => redis.CreateStore();
}
