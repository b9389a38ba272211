using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Verification;

/// <summary>The contract over a 3-master Redis Cluster: every script stays within one hash slot.</summary>
public sealed class RedisClusterVerifierContractIntegrationTests(RedisClusterFixture cluster) : VerifierContractTests, IClassFixture<RedisClusterFixture>
{
    private protected override IVerificationStore CreateStore(TimeProvider time) => cluster.CreateStore();
}
