using Verify.Server.Security;

namespace Verify.Server.Tests.Security;

public sealed class AuditedMethodTests
{
    [Fact]
    public void EveryMethodOfVerifysServices_HasAnAuthorizationRule() =>
        Assert.Empty(AuditedMethod.Unlisted());

    [Fact]
    public void EveryMethod_IsNamedByTheLastSegmentOfItsPath() =>
        Assert.All(AuditedMethod.ByPath, entry => Assert.EndsWith("/" + entry.Value.Name, entry.Key, StringComparison.Ordinal));

    [Theory]
    [InlineData("/verify.v1.VerificationService/StartVerification", true)]
    [InlineData("/verify.admin.v1.AdminService/Unblock", true)]
    [InlineData("/grpc.health.v1.Health/Check", false)]
    [InlineData("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", false)]
    public void IsVerifyMethod_OnlyVerifysOwnServices(string path, bool expected) =>
        Assert.Equal(expected, AuditedMethod.IsVerifyMethod(path));
}
