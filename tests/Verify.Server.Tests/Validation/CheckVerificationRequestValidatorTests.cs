using Verify.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Engine.Configuration;
using Verify.Server.Validation;
using Verify.V1;

namespace Verify.Server.Tests.Validation;

public sealed class CheckVerificationRequestValidatorTests : IDisposable
{
    private const string Id = "VE0123456789abcdef0123456789abcdef";
    private readonly PolicyCatalog _policies = new(new ConfigurationBuilder().Build(), NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);

    public void Dispose() => _policies.Dispose();

    [Fact]
    public void Validate_ById_IsValid() => Assert.Empty(Violations(new CheckVerificationRequest { VerificationId = Id, Code = "123456" }));

    [Fact]
    public void Validate_ByPhoneAndPurpose_IsValid() =>
        Assert.Empty(Violations(new CheckVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", Code = "123456" }));

    [Fact]
    public void Validate_BothWays_IsRefused() =>
        Assert.Contains("verification_id", Violations(new CheckVerificationRequest { VerificationId = Id, PhoneNumber = "+8613812345678", Purpose = "login", Code = "123456" }).Keys);

    [Fact]
    public void Validate_NeitherWay_IsRefused() =>
        Assert.Contains("verification_id", Violations(new CheckVerificationRequest { Code = "123456" }).Keys);

    [Theory]
    [InlineData("VE123")]
    [InlineData("VE0123456789ABCDEF0123456789ABCDEF")]
    public void Validate_MalformedId_IsRefused(string id) =>
        Assert.Contains("verification_id", Violations(new CheckVerificationRequest { VerificationId = id, Code = "123456" }).Keys);

    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("12345678901")]
    [InlineData("١٢٣٤٥٦")]
    [InlineData("12 456")]
    public void Validate_ImpossibleCode_IsRefused(string code) =>
        Assert.Contains("code", Violations(new CheckVerificationRequest { VerificationId = Id, Code = code }).Keys);

    private Dictionary<string, string> Violations(CheckVerificationRequest request) =>
        new CheckVerificationRequestValidator(_policies).Validate(request).Errors.ToDictionary(e => e.PropertyName, e => e.ErrorMessage);
}
