using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery.Phones;
using Verify.Engine.Configuration;
using Verify.Engine.Limits;
using Verify.Engine.Throttling;

namespace Verify.Server.Tests.Throttling;

public sealed class LimitCatalogTests
{
    [Fact]
    public void Build_NothingConfigured_HasTheDocumentedDefaults()
    {
        var (settings, errors) = LimitCatalog.Build(Configuration([]));

        Assert.Empty(errors);
        var options = settings!.Options;
        Assert.Equal(["10/1h", "20/1d"], options.Number.Select(w => $"{w.Max}/{w.Name}"));
        Assert.Equal(["100/1h"], options.Prefix.Select(w => $"{w.Max}/{w.Name}"));
        Assert.Empty(options.Country);
        Assert.Empty(options.Caller);
        Assert.Empty(options.Global);
        Assert.Equal(5, settings.CountriesPerIp!.Max);
        Assert.True(options.PumpingGuard.Enabled);
        Assert.Equal(20, options.PumpingGuard.MinSends);
        Assert.Equal(0.2, options.PumpingGuard.MinConversion);
        Assert.Equal(200, options.PumpingGuard.CountryMinSends);
    }

    [Fact]
    public void CountersFor_DefaultsAndOverrides_NumberCountryPrefixCallerGlobalWhereTheyHaveSomethingToCount()
    {
        var (settings, _) = LimitCatalog.Build(Configuration(new()
        {
            ["Verify:Limits:Countries:CN:0:Window"] = "01:00:00",
            ["Verify:Limits:Countries:CN:0:Max"] = "7",
            ["Verify:Limits:Callers:signup:0:Window"] = "01:00:00",
            ["Verify:Limits:Callers:signup:0:Max"] = "9",
        }));
        Assert.True(PhoneNumberParser.TryParse("+8613812345678", out var phone, out _));

        var counters = settings!.CountersFor(phone, "signup");
        var others = settings.CountersFor(phone, "login");

        Assert.Equal(["number", "country", "prefix", "caller"], counters.Select(c => c.Scope.Name));
        Assert.Equal(7, counters.Single(c => c.Scope == LimitScope.Country).Windows.Single().Max);
        Assert.Equal(200, counters.Single(c => c.Scope == LimitScope.Country).Pumping!.MinSends);
        Assert.Equal("+861381234", counters.Single(c => c.Scope == LimitScope.Prefix).Key);
        Assert.Equal(20, counters.Single(c => c.Scope == LimitScope.Prefix).Pumping!.MinSends);
        Assert.DoesNotContain(others, c => c.Scope == LimitScope.Caller);
    }

    [Theory]
    [InlineData("Verify:Limits:Prefix:0:Max", "0", "Verify:Limits:Prefix:0:Max")]
    [InlineData("Verify:Limits:Countries:cn:0:Max", "5", "Verify:Limits:Countries:cn")]
    [InlineData("Verify:Limits:Countries:NG:0:Max", "0", "Verify:Limits:Countries:NG:0:Max")]
    [InlineData("Verify:Limits:PumpingGuard:MinConversion", "1.5", "Verify:Limits:PumpingGuard:MinConversion")]
    [InlineData("Verify:Limits:PumpingGuard:SettleTime", "02:00:00", "Verify:Limits:PumpingGuard:SettleTime")]
    [InlineData("Verify:Limits:Typo", "1", "Verify:Limits")]
    [InlineData("Verify:SafeList:0:Number", "12345", "Verify:SafeList:0:Number")]
    public void Build_InvalidValue_RefusedNamingTheKey(string key, string value, string named)
    {
        var (settings, errors) = LimitCatalog.Build(Configuration(new() { [key] = value, ["Verify:SafeList:0:Code"] = "123456" }));

        Assert.Null(settings);
        Assert.Contains(errors, e => e.StartsWith(named, StringComparison.Ordinal) || e.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void SafeList_ConfiguredNumber_HasItsCodeInUpperCaseForItsPurposesAndCallersOnly()
    {
        var (settings, errors) = LimitCatalog.Build(Configuration(new()
        {
            ["Verify:SafeList:0:Number"] = "+12025550100",
            ["Verify:SafeList:0:Code"] = "ab12cd",
            ["Verify:SafeList:0:Purposes:0"] = "login",
            ["Verify:SafeList:0:Callers:0"] = "review-app",
        }));
        var login = VerificationPolicy.From("login", new PolicyOptions());
        var signup = VerificationPolicy.From("signup", new PolicyOptions());

        Assert.Empty(errors);
        Assert.True(settings!.SafeNumbers.TryGetCode("+12025550100", login, "review-app", out var code));
        Assert.Equal("AB12CD", code);
        Assert.False(settings.SafeNumbers.TryGetCode("+12025550101", login, "review-app", out _));
        Assert.False(settings.SafeNumbers.TryGetCode("+12025550100", signup, "review-app", out _));
        Assert.False(settings.SafeNumbers.TryGetCode("+12025550100", login, "shop", out _));
    }

    [Fact]
    public void SafeList_PolicyThatNowBindsATransaction_GetsNoFixedCode()
    {
        var (settings, _) = LimitCatalog.Build(Configuration(new()
        {
            ["Verify:SafeList:0:Number"] = "+12025550100",
            ["Verify:SafeList:0:Code"] = "246810",
            ["Verify:SafeList:0:Purposes:0"] = "login",
            ["Verify:SafeList:0:Callers:0"] = "review-app",
        }));

        // Policies reload on their own: login made to bind a transaction after the list was read.
        var boundLogin = VerificationPolicy.From("login", new PolicyOptions { RequiresTransaction = true });

        Assert.False(settings!.SafeNumbers.TryGetCode("+12025550100", boundLogin, "review-app", out _));
    }

    [Theory]
    [InlineData("Verify:SafeList:0:Purposes", null, "Verify:SafeList:0:Purposes: name at least one purpose")]
    [InlineData("Verify:SafeList:0:Callers", null, "Verify:SafeList:0:Callers: name at least one caller")]
    [InlineData("Verify:SafeList:0:Purposes:0", "payment", "Verify:SafeList:0:Purposes: payment binds a transaction")]
    public void SafeList_UnscopedOrForAPayment_IsRefusedNamingTheKey(string key, string? value, string error)
    {
        var entry = new Dictionary<string, string?>
        {
            ["Verify:SafeList:0:Number"] = "+12025550100",
            ["Verify:SafeList:0:Code"] = "246810",
            ["Verify:SafeList:0:Purposes:0"] = "login",
            ["Verify:SafeList:0:Callers:0"] = "review-app",
        };
        foreach (var configured in entry.Keys.Where(k => k.StartsWith(key, StringComparison.Ordinal)).ToList())
        {
            entry.Remove(configured);
        }

        if (value is not null)
        {
            entry[key] = value;
        }

        var (settings, errors) = LimitCatalog.Build(Configuration(entry));

        Assert.Null(settings);
        Assert.Contains(errors, e => e.StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Reload_InvalidChange_IsRefusedAndCountedWhileTheLastGoodLimitsStay()
    {
        var source = new Dictionary<string, string?> { ["Verify:Limits:Global:0:Window"] = "01:00:00", ["Verify:Limits:Global:0:Max"] = "3" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(source).Build();
        using var catalog = new LimitCatalog(configuration, NullLogger<LimitCatalog>.Instance);
        var reloads = new List<(string Section, bool Accepted)>();
        catalog.Reloaded += (section, accepted) => reloads.Add((section, accepted));

        configuration["Verify:Limits:Global:0:Max"] = "0";
        configuration.Reload();
        var afterInvalid = catalog.Current.Options.Global.Single().Max;
        configuration["Verify:Limits:Global:0:Max"] = "5";
        configuration.Reload();

        Assert.Equal(3, afterInvalid);
        Assert.Equal(5, catalog.Current.Options.Global.Single().Max);
        Assert.Equal([("limits", false), ("limits", true)], reloads);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
