using Verify.Server.Storage;

namespace Verify.Server.Tests.Verification;

public sealed class InMemoryVerifierContractTests : VerifierContractTests
{
    private protected override IVerificationStore CreateStore(TimeProvider time) => new InMemoryVerificationStore(time);
}
