using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Verification;

public sealed class EmbeddedVerifierContractTests : VerifierContractTests
{
    private protected override IVerificationStore CreateStore(TimeProvider time) => EmbeddedRedisSource.Shared.CreateStore();
}
