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
        using var catalog = new PolicyCatalog(configuration, NullLogger<PolicyCatalog>.Instance);
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
        using var catalog = new PolicyCatalog(configuration, NullLogger<PolicyCatalog>.Instance);
        bool? accepted = null;
        catalog.Reloaded += ok => accepted = ok;

        configuration["Verify:Policies:login:MaxAttempts"] = "1000";
        configuration.Reload();

        Assert.False(accepted);
        Assert.True(catalog.TryGet("login", out var login));
        Assert.Equal(3, login.MaxAttempts);
    }

    private static PolicyCatalog Catalog(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<PolicyCatalog>.Instance);
}
