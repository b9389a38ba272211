using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure.Redis;
using Xunit.Abstractions;

namespace Verify.Server.Tests.Properties;

public sealed class EmbeddedStoreProperties(ITestOutputHelper output) : StoreProperties(output)
{
    private protected override IVerificationStore CreateStore(TimeProvider time) => EmbeddedRedisSource.Shared.CreateStore();
}
