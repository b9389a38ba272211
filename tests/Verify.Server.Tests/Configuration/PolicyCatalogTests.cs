using Verify.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Engine.Codes;
using Verify.Engine.Configuration;

namespace Verify.Server.Tests.Configuration;

public sealed class PolicyCatalogTests
{
    [Fact]
    public void Constructor_NothingConfigured_HasLoginSignupAndPaymentWithTheContractDefaults()
    {
        using var catalog = Catalog([]);

        Assert.Equal(["login", "payment", "signup"], catalog.Purposes.Order());
        Assert.True(catalog.TryGet("login", out var login));
        Assert.Equal(6, login.CodeLength);
        Assert.Equal(CodeAlphabet.Digits, login.Alphabet);
        Assert.Equal(TimeSpan.FromMinutes(5), login.Ttl);
        Assert.Equal(5, login.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), login.ResendCooldown);
        Assert.Equal([(TimeSpan.FromHours(1), 5), (TimeSpan.FromDays(1), 10)], login.PhoneLimits.Select(l => (l.Window, l.Max)));
        Assert.Equal([(TimeSpan.FromHours(1), 20)], login.IpLimits.Select(l => (l.Window, l.Max)));
        Assert.False(login.RequiresTransaction);
        Assert.True(catalog.TryGet("payment", out var payment) && payment.RequiresTransaction);
    }

    [Fact]
    public void Constructor_ConfiguredList_ReplacesTheDefaultListInsteadOfAppending()
    {
        using var catalog = Catalog(new()
        {
            ["Verify:Policies:login:PhoneLimits:0:Window"] = "00:10:00",
            ["Verify:Policies:login:PhoneLimits:0:Max"] = "3",
        });

        Assert.True(catalog.TryGet("login", out var login));
        Assert.Equal([(TimeSpan.FromMinutes(10), 3)], login.PhoneLimits.Select(l => (l.Window, l.Max)));
    }

    [Fact]
    public void Constructor_NewPurpose_IsServedWithDefaults()
    {
        using var catalog = Catalog(new() { ["Verify:Policies:password-reset:CodeLength"] = "8" });

        Assert.True(catalog.TryGet("password-reset", out var reset));
        Assert.Equal(8, reset.CodeLength);
    }

    [Fact]
    public void Constructor_DisabledPurpose_IsUnknown()
    {
        using var catalog = Catalog(new() { ["Verify:Policies:signup:Enabled"] = "false" });

        Assert.False(catalog.TryGet("signup", out _));
    }

    [Theory]
    [InlineData("Verify:Policies:login:CodeLength", "3", "CodeLength")]
    [InlineData("Verify:Policies:login:CodeLength", "11", "CodeLength")]
    [InlineData("Verify:Policies:login:Ttl", "00:11:00", "Ttl")]
    [InlineData("Verify:Policies:login:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Verify:Policies:login:IpLimits:0:Max", "0", "IpLimits")]
    [InlineData("Verify:Policies:login:CodeLenght", "6", "CodeLenght")]
    [InlineData("Verify:Policies:Login!:CodeLength", "6", "purpose name")]
    public void Constructor_InvalidValue_RefusesToStartNamingTheKey(string key, string value, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Catalog(new() { [key] = value }));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Reload_ValidChange_AppliesAtOnce()
    {
        var source = new Dictionary<string, string?>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(source).Build();
        using var catalog = new PolicyCatalog(configuration, NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);
        bool? accepted = null;
        catalog.Reloaded += ok => accepted = ok;

        configuration["Verify:Policies:login:MaxAttempts"] = "3";
        configuration.Reload();

        Assert.True(accepted);
        Assert.True(catalog.TryGet("login", out var login));
        Assert.Equal(3, login.MaxAttempts);
    }

    [Fact]
    public void Reload_InvalidChange_IsRefusedAndTheLastGoodPoliciesStay()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:Policies:login:MaxAttempts"] = "3" }).Build();
        using var catalog = new PolicyCatalog(configuration, NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);
        bool? accepted = null;
        catalog.Reloaded += ok => accepted = ok;

        configuration["Verify:Policies:login:MaxAttempts"] = "1000";
        configuration.Reload();

        Assert.False(accepted);
        Assert.True(catalog.TryGet("login", out var login));
        Assert.Equal(3, login.MaxAttempts);
    }

    [Fact]
    public void Build_PaymentWithoutALockoutConfigured_LocksAfterFiveWrongCodesInARow()
    {
        using var catalog = Catalog([]);

        Assert.True(catalog.TryGet("payment", out var payment));
        Assert.True(catalog.TryGet("login", out var login));
        Assert.Equal(5, payment.LockoutFailures);
        Assert.Equal(10, login.LockoutFailures);
    }

    [Theory]
    [InlineData("login:CodeLength", "5", "Verify:Policies:login:CodeLength: must be at least 6 for Digits codes outside Development")]
    [InlineData("signup:CodeLength", "4", "Verify:Policies:signup:CodeLength: must be at least 6 for Digits codes outside Development")]
    [InlineData("payment:MaxAttempts", "6", "Verify:Policies:payment:MaxAttempts: must be at most 5 for a policy that binds a transaction")]
    [InlineData("payment:Lockout:MaxFailures", "10", "Verify:Policies:payment:Lockout:MaxFailures: must be at most 5 for a policy that binds a transaction")]
    public void Build_WeakSettingOutsideDevelopment_IsRefusedNamingItsKey_AndAcceptedInDevelopment(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:Policies:" + key] = value }).Build();

        var (strict, refused) = PolicyCatalog.Build(configuration, outsideDevelopment: true);
        var (development, accepted) = PolicyCatalog.Build(configuration, outsideDevelopment: false);

        Assert.Null(strict);
        Assert.Contains(refused, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.NotNull(development);
        Assert.Empty(accepted);
    }

    [Fact]
    public void Build_AlphanumericCodesOutsideDevelopment_NeedFiveCharacters()
    {
        var four = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:Alphabet"] = "Alphanumeric", ["Verify:Policies:login:CodeLength"] = "4",
        }).Build();
        var five = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:Alphabet"] = "Alphanumeric", ["Verify:Policies:login:CodeLength"] = "5",
        }).Build();

        Assert.Contains(PolicyCatalog.Build(four, outsideDevelopment: true).Errors, e => e.StartsWith("Verify:Policies:login:CodeLength: must be at least 5 for Alphanumeric", StringComparison.Ordinal));
        Assert.Empty(PolicyCatalog.Build(five, outsideDevelopment: true).Errors);
    }

    [Fact]
    public void Constructor_StagingEnvironmentWithWeakCodes_StopsTheStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:Policies:login:CodeLength"] = "4" }).Build();
        var staging = new TestEnvironment { EnvironmentName = "Staging" };

        var exception = Record.Exception(() => new PolicyCatalog(configuration, NullLogger<PolicyCatalog>.Instance, staging).Dispose());

        Assert.NotNull(exception);
        Assert.Contains("Verify:Policies:login:CodeLength: must be at least 6", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PurposeNamedCc_IsRefusedAsItNamesTheIpCountriesKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:Policies:cc:Enabled"] = "true" }).Build();

        var (policies, errors) = PolicyCatalog.Build(configuration);

        Assert.Null(policies);
        Assert.Contains(errors, e => e.StartsWith("Verify:Policies:cc: \"cc\" is reserved", StringComparison.Ordinal));
    }

    private static PolicyCatalog Catalog(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);
}
