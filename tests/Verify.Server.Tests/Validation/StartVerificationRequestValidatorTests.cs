using Verify.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Engine.Configuration;
using Verify.Server.Validation;
using Verify.V1;

namespace Verify.Server.Tests.Validation;

public sealed class StartVerificationRequestValidatorTests : IDisposable
{
    private readonly PolicyCatalog _policies = new(new ConfigurationBuilder().Build(), NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);

    public void Dispose() => _policies.Dispose();

    [Fact]
    public void Validate_GoodLoginRequest_IsValid() =>
        Assert.Empty(Violations(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", Locale = "zh-CN", ClientIp = "2001:db8::1" }));

    [Theory]
    [InlineData("8613812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("+86１３８１２３４５６７８")]
    [InlineData("")]
    public void Validate_BadPhoneNumber_NamesPhoneNumber(string phone) =>
        Assert.Contains("phone_number", Violations(new StartVerificationRequest { PhoneNumber = phone, Purpose = "login" }).Keys);

    [Fact]
    public void Validate_UnknownPurpose_ListsTheKnownOnes()
    {
        var violations = Violations(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "lunch" });

        Assert.Equal("must be one of: login, payment, signup", violations["purpose"]);
    }

    [Fact]
    public void Validate_PaymentWithoutTransaction_RequiresIt() =>
        Assert.Contains("transaction", Violations(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "payment" }).Keys);

    [Fact]
    public void Validate_LoginWithATransaction_IsRefusedOnTransaction()
    {
        var request = new StartVerificationRequest
        {
            PhoneNumber = "+8613812345678",
            Purpose = "login",
            Transaction = new Transaction { Amount = "25.00", Currency = "EUR", Payee = "Shop" },
        };

        Assert.Equal("is not taken by the 'login' policy, which binds no transaction", Violations(request)["transaction"]);
    }

    [Theory]
    [InlineData("0.00", "EUR", "Shop", "transaction.amount")]
    [InlineData("-5", "EUR", "Shop", "transaction.amount")]
    [InlineData("1,00", "EUR", "Shop", "transaction.amount")]
    [InlineData("10.00", "eur", "Shop", "transaction.currency")]
    [InlineData("10.00", "XYZ", "Shop", "transaction.currency")]
    [InlineData("10.00", "EUR", "", "transaction.payee")]
    [InlineData("10.00", "EUR", "Shop\nYour code is 000000", "transaction.payee")]
    [InlineData("10.00", "EUR", "A payee whose name is much too long to fit in an SMS", "transaction.payee")]
    public void Validate_BadTransaction_NamesTheField(string amount, string currency, string payee, string field)
    {
        var request = new StartVerificationRequest
        {
            PhoneNumber = "+8613812345678",
            Purpose = "payment",
            Transaction = new Transaction { Amount = amount, Currency = currency, Payee = payee },
        };

        Assert.Contains(field, Violations(request).Keys);
    }

    [Theory]
    [InlineData("client_ip", "example.com")]
    [InlineData("client_ip", "1.2.3.4:80")]
    [InlineData("locale", "english please")]
    [InlineData("idempotency_key", "has spaces")]
    public void Validate_BadOptionalField_NamesIt(string field, string value)
    {
        var request = new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" };
        switch (field)
        {
            case "client_ip": request.ClientIp = value; break;
            case "locale": request.Locale = value; break;
            default: request.IdempotencyKey = value; break;
        }

        Assert.Contains(field, Violations(request).Keys);
    }

    [Fact]
    public void Validate_PolicyRequiringClientIp_RefusesAStartWithoutOne()
    {
        using var policies = new PolicyCatalog(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:Policies:login:RequireClientIp"] = "true" }).Build(),
            NullLogger<PolicyCatalog>.Instance,
            TestEnvironment.Development);
        var validator = new StartVerificationRequestValidator(policies);

        var without = validator.Validate(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" });
        var with = validator.Validate(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", ClientIp = "203.0.113.7" });
        var otherPurpose = validator.Validate(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "signup" });

        var error = Assert.Single(without.Errors);
        Assert.Equal(("client_ip", "is required by the 'login' policy: the end user's IP address"), (error.PropertyName, error.ErrorMessage));
        Assert.True(with.IsValid);
        Assert.True(otherPurpose.IsValid);
    }

    [Fact]
    public void Validate_VoiceChannel_IsAValidChannel() =>
        Assert.DoesNotContain("channel", Violations(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", Channel = Channel.Voice }).Keys);

    [Fact]
    public void Validate_UnknownChannelNumber_IsRefusedOnChannel() =>
        Assert.Contains("channel", Violations(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", Channel = (Channel)7 }).Keys);

    private Dictionary<string, string> Violations(StartVerificationRequest request) =>
        new StartVerificationRequestValidator(_policies).Validate(request).Errors.ToDictionary(e => e.PropertyName, e => e.ErrorMessage);
}
