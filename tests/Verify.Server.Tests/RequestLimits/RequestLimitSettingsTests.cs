using Microsoft.Extensions.Configuration;
using Verify.Server.RequestLimits;

namespace Verify.Server.Tests.RequestLimits;

public sealed class RequestLimitSettingsTests
{
    [Fact]
    public void Build_NothingConfigured_HasTheDocumentedDefaults()
    {
        var (settings, errors) = RequestLimitSettings.Build(Configuration([]));

        Assert.Empty(errors);
        Assert.True(settings!.Enabled);
        var limits = settings.For("anyone");
        Assert.Equal((2000, 1000, TimeSpan.FromSeconds(1)), (limits.PerCaller.TokenLimit, limits.PerCaller.TokensPerPeriod, limits.PerCaller.ReplenishmentPeriod));
        Assert.Equal((200, 100), (limits.PerMethod["StartVerification"].TokenLimit, limits.PerMethod["StartVerification"].TokensPerPeriod));
        Assert.All(["GetCounters", "ResetCounters", "ListBlocked", "Unblock", "ErasePersonalData"], method => Assert.Equal(20, limits.PerMethod[method].TokenLimit));
        Assert.False(limits.PerMethod.ContainsKey("CheckVerification"));
        Assert.Equal((256, 0), (limits.Concurrency.PermitLimit, limits.Concurrency.QueueLimit));
        Assert.Equal(0, limits.PerCaller.QueueLimit);
    }

    [Fact]
    public void Build_OneKeyOfADefaultBucket_KeepsTheOtherDefaults_AMethodKeyInAnyCase_IsFound()
    {
        var (settings, errors) = RequestLimitSettings.Build(Configuration(new()
        {
            ["Verify:RequestLimits:PerMethod:StartVerification:TokensPerPeriod"] = "50",
            ["Verify:RequestLimits:PerMethod:checkverification:TokenLimit"] = "30",
            ["Verify:RequestLimits:PerMethod:checkverification:TokensPerPeriod"] = "10",
            ["Verify:RequestLimits:PerCaller:TokenLimit"] = "5000",
        }));

        Assert.Empty(errors);
        var limits = settings!.For("anyone");
        Assert.Equal((200, 50), (limits.PerMethod["StartVerification"].TokenLimit, limits.PerMethod["StartVerification"].TokensPerPeriod));
        Assert.Equal((30, 10), (limits.PerMethod["CheckVerification"].TokenLimit, limits.PerMethod["CheckVerification"].TokensPerPeriod));
        Assert.Equal((5000, 1000), (limits.PerCaller.TokenLimit, limits.PerCaller.TokensPerPeriod));
    }

    [Fact]
    public void Build_CallerOverride_AppliesToThatCallerOnly_OverTheConfiguredDefaults()
    {
        var (settings, errors) = RequestLimitSettings.Build(Configuration(new()
        {
            ["Verify:RequestLimits:PerCaller:TokenLimit"] = "3000",
            ["Verify:RequestLimits:Callers:batch:PerCaller:TokensPerPeriod"] = "2000",
            ["Verify:RequestLimits:Callers:batch:PerMethod:StartVerification:TokenLimit"] = "1000",
            ["Verify:RequestLimits:Callers:batch:ConcurrencyLimit"] = "16",
        }));

        Assert.Empty(errors);
        var batch = settings!.For("batch");
        var other = settings.For("login-service");
        Assert.Equal((3000, 2000), (batch.PerCaller.TokenLimit, batch.PerCaller.TokensPerPeriod));
        Assert.Equal((1000, 100), (batch.PerMethod["StartVerification"].TokenLimit, batch.PerMethod["StartVerification"].TokensPerPeriod));
        Assert.Equal(20, batch.PerMethod["ListBlocked"].TokenLimit);
        Assert.Equal(16, batch.Concurrency.PermitLimit);
        Assert.Equal((3000, 1000, 256), (other.PerCaller.TokenLimit, other.PerCaller.TokensPerPeriod, other.Concurrency.PermitLimit));
    }

    [Theory]
    [InlineData("Verify:RequestLimits:PerCaller:TokenLimit", "0", "Verify:RequestLimits:PerCaller:TokenLimit: must be 1 to 1000000 calls")]
    [InlineData("Verify:RequestLimits:PerCaller:TokensPerPeriod", "3000", "Verify:RequestLimits:PerCaller:TokensPerPeriod: must be 1 to TokenLimit")]
    [InlineData("Verify:RequestLimits:PerCaller:ReplenishmentPeriod", "00:00:00.010", "Verify:RequestLimits:PerCaller:ReplenishmentPeriod: must be between")]
    [InlineData("Verify:RequestLimits:PerCaller:TokenLimit", "lots", "Verify:RequestLimits:PerCaller:TokenLimit")]
    [InlineData("Verify:RequestLimits:PerMethod:NoSuchMethod:TokenLimit", "5", "Verify:RequestLimits:PerMethod:NoSuchMethod: not a method")]
    [InlineData("Verify:RequestLimits:PerMethod:Unblock:TokensPerPeriod", "0", "Verify:RequestLimits:PerMethod:Unblock:TokensPerPeriod")]
    [InlineData("Verify:RequestLimits:ConcurrencyLimit", "0", "Verify:RequestLimits:ConcurrencyLimit: must be 1 to")]
    [InlineData("Verify:RequestLimits:PerCallr:TokenLimit", "5", "Verify:RequestLimits: ")]
    [InlineData("Verify:RequestLimits:Callers:no spaces:ConcurrencyLimit", "5", "Verify:RequestLimits:Callers:no spaces: a caller name is")]
    [InlineData("Verify:RequestLimits:Callers:batch:PerMethod:StartVerification:TokenLimit", "0", "Verify:RequestLimits:Callers:batch:PerMethod:StartVerification:TokenLimit: must be 1")]
    [InlineData("Verify:RequestLimits:Callers:batch:ConcurrencyLimit", "-1", "Verify:RequestLimits:Callers:batch:ConcurrencyLimit: must be 1 to")]
    public void Build_InvalidValue_RefusedNamingTheKey(string key, string value, string expected)
    {
        var (settings, errors) = RequestLimitSettings.Build(Configuration(new() { [key] = value }));

        Assert.Null(settings);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Disabled_IsOff()
    {
        var (settings, errors) = RequestLimitSettings.Build(Configuration(new() { ["Verify:RequestLimits:Enabled"] = "false" }));

        Assert.Empty(errors);
        Assert.False(settings!.Enabled);
        Assert.Equal("off", settings.Describe());
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
