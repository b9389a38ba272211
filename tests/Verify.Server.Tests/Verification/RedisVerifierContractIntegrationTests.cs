using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Verification;

/// <summary>The contract over one real redis-server, started for this class on a free loopback port.</summary>
public sealed class RedisVerifierContractIntegrationTests(RedisServerFixture redis) : VerifierContractTests, IClassFixture<RedisServerFixture>
{
    private protected override IVerificationStore CreateStore(TimeProvider time) => redis.CreateStore();
}
