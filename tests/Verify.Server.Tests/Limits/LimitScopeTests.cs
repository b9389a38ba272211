using Verify.Delivery.Phones;
using Verify.Engine.Configuration;
using Verify.Engine.Limits;
using Verify.Engine.Throttling;

namespace Verify.Server.Tests.Limits;

public sealed class LimitScopeTests
{
    public static TheoryData<string> Names => ["phone", "ip", "number", "country", "prefix", "caller", "global"];

    // The names are on the wire (refusal subjects, Redis keys of earlier releases, the admin API): pinned here, not derived.
    [Theory]
    [MemberData(nameof(Names))]
    public void TryParse_EveryWireName_RoundTrips(string name)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.Equal(name, scope.Name);
        Assert.Equal(name, scope.ToString());
        Assert.Same(scope, LimitScope.All.Single(s => s.Name == name));
    }

    [Fact]
    public void All_IsExactlyTheWireNames() =>
        Assert.Equal(["phone", "ip", "number", "country", "prefix", "caller", "global"], LimitScope.All.Select(s => s.Name));

    [Fact]
    public void StaticInstances_CarryTheirNames()
    {
        Assert.Equal("phone", LimitScope.Phone.Name);
        Assert.Equal("ip", LimitScope.Ip.Name);
        Assert.Equal("number", LimitScope.Number.Name);
        Assert.Equal("country", LimitScope.Country.Name);
        Assert.Equal("prefix", LimitScope.Prefix.Name);
        Assert.Equal("caller", LimitScope.Caller.Name);
        Assert.Equal("global", LimitScope.Global.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Prefix")]
    [InlineData("COUNTRY")]
    [InlineData(" number")]
    [InlineData("pumping")]
    [InlineData("countries")]
    [InlineData("prefix:1h")]
    public void TryParse_UnknownName_Refused(string? name)
    {
        Assert.False(LimitScope.TryParse(name, out var scope));
        Assert.Null(scope);
    }

    [Theory]
    [InlineData("phone", "to one number")]
    [InlineData("ip", "from one IP address")]
    [InlineData("number", "to one number, across purposes")]
    [InlineData("country", "to one country")]
    [InlineData("prefix", "to one block of numbers")]
    [InlineData("caller", "from one calling service")]
    [InlineData("global", "in total")]
    public void What_DescribesWhatIsCounted(string name, string what)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.Equal(what, scope.What);
    }

    [Fact]
    public void AcrossPurposes_InTheOrderAStartAsksThem() =>
        Assert.Equal([LimitScope.Number, LimitScope.Country, LimitScope.Prefix, LimitScope.Caller, LimitScope.Global], LimitScope.AcrossPurposes.AsEnumerable());

    [Fact]
    public void PerPurposeScopes_AreNotCountersAcrossPurposes()
    {
        Assert.False(LimitScope.Phone.IsAcrossPurposes);
        Assert.False(LimitScope.Ip.IsAcrossPurposes);
    }

    [Fact]
    public void PumpingGuard_WatchesPrefixesAndCountriesOnly() =>
        Assert.Equal([LimitScope.Country, LimitScope.Prefix], LimitScope.All.Where(s => s.IsPumpingGuarded));

    [Fact]
    public void PausedWhat_NamesWhatAPumpingBlockPauses()
    {
        Assert.Equal("country", LimitScope.Country.PausedWhat);
        Assert.Equal("block of numbers", LimitScope.Prefix.PausedWhat);
        Assert.All(LimitScope.All.Where(s => !s.IsPumpingGuarded), s => Assert.Null(s.PausedWhat));
    }

    [Fact]
    public void AboutNumber_NumberPrefixAndCountry() =>
        Assert.Equal([LimitScope.Number, LimitScope.Country, LimitScope.Prefix], LimitScope.All.Where(s => s.AboutNumber));

    [Theory]
    [InlineData("country", "CN")]
    [InlineData("ip", "2001:db8::1")]
    [InlineData("ip", "203.0.113.7")]
    public void Shown_CountryAndIpPlain(string name, string key)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.False(scope.MasksKey);
        Assert.Equal(key, scope.Shown(key));
    }

    [Theory]
    [InlineData("phone", "+8613812345678")]
    [InlineData("number", "+8613812345678")]
    [InlineData("prefix", "+861381234")]
    [InlineData("caller", "signup-service")]
    [InlineData("global", "all")]
    public void Shown_EverythingButCountryMasked(string name, string key)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.True(scope.MasksKey);
        Assert.Equal(PhoneMasking.Mask(key), scope.Shown(key));
        Assert.NotEqual(key, scope.Shown(key));
    }

    [Fact]
    public void Shown_Number_AsEveryMaskedNumber() =>
        Assert.Equal("+86 138****5678", LimitScope.Number.Shown("+8613812345678"));

    [Fact]
    public void Subject_ScopeColonWindow()
    {
        Assert.Equal("prefix:1h", LimitScope.Prefix.Subject("1h"));
        Assert.Equal("phone:login", LimitScope.Phone.Subject("login"));
        Assert.Equal("country:pumping", LimitScope.Country.Subject(LimitScope.Pumping));
    }

    [Fact]
    public void KeyFor_EachCounterAcrossPurposes()
    {
        Assert.True(PhoneNumberParser.TryParse("+8613812345678", out var phone, out _));

        Assert.Equal("+8613812345678", LimitScope.Number.KeyFor(phone, "svc"));
        Assert.Equal("CN", LimitScope.Country.KeyFor(phone, "svc"));
        Assert.Equal("+861381234", LimitScope.Prefix.KeyFor(phone, "svc"));
        Assert.Equal("svc", LimitScope.Caller.KeyFor(phone, "svc"));
        Assert.Equal("all", LimitScope.Global.KeyFor(phone, "svc"));
    }

    [Fact]
    public void Windows_EachFromItsOwnOptionsList()
    {
        List<WindowLimit> number = [Window(1)], prefix = [Window(2)], country = [Window(3)], cn = [Window(4)], caller = [Window(5)], signup = [Window(6)], global = [Window(7)];
        var options = new LimitsOptions
        {
            Number = number,
            Prefix = prefix,
            Country = country,
            Countries = new(StringComparer.OrdinalIgnoreCase) { ["CN"] = cn },
            Caller = caller,
            Callers = new(StringComparer.Ordinal) { ["signup"] = signup },
            Global = global,
        };

        Assert.Same(number, LimitScope.Number.Windows(options, "+8613812345678"));
        Assert.Same(prefix, LimitScope.Prefix.Windows(options, "+861381234"));
        Assert.Same(cn, LimitScope.Country.Windows(options, "CN"));
        Assert.Same(country, LimitScope.Country.Windows(options, "GB"));
        Assert.Same(signup, LimitScope.Caller.Windows(options, "signup"));
        Assert.Same(caller, LimitScope.Caller.Windows(options, "login"));
        Assert.Same(global, LimitScope.Global.Windows(options, "all"));
    }

    [Fact]
    public void Windows_PerPurposeFromThePolicy()
    {
        var policy = VerificationPolicy.From("login", new PolicyOptions());

        Assert.Same(policy.PhoneLimits, LimitScope.Phone.Windows(policy));
        Assert.Same(policy.IpLimits, LimitScope.Ip.Windows(policy));
    }

    [Fact]
    public void Windows_AskedOfTheWrongKind_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => LimitScope.Phone.Windows(new LimitsOptions(), "x"));
        Assert.Throws<InvalidOperationException>(() => LimitScope.Number.Windows(VerificationPolicy.From("login", new PolicyOptions())));
    }

    [Fact]
    public void PumpingFor_PrefixAsConfigured_CountryWithItsOwnMinimumOrOff()
    {
        var guard = new PumpingRule(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 20, 0.2, TimeSpan.FromMinutes(30));
        var options = new LimitsOptions();
        options.PumpingGuard.CountryMinSends = 300;

        Assert.Same(guard, LimitScope.Prefix.PumpingFor(options, guard));
        Assert.Equal(guard with { MinSends = 300 }, LimitScope.Country.PumpingFor(options, guard));
        Assert.Null(LimitScope.Number.PumpingFor(options, guard));
        Assert.Null(LimitScope.Prefix.PumpingFor(options, null));

        options.PumpingGuard.Countries = false;
        Assert.Null(LimitScope.Country.PumpingFor(options, guard));
    }

    [Theory]
    [InlineData("country", "CN")]
    [InlineData("prefix", "+861381234")]
    [InlineData("prefix", "+123")]
    public void KeyProblem_AKeyOfTheScope_None(string name, string key)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.True(scope.TakesAdminKey);
        Assert.Null(scope.KeyProblem(key));
    }

    [Theory]
    [InlineData("country", "china", "ISO 3166")]
    [InlineData("prefix", "861381234", "E.164")]
    [InlineData("prefix", "+12", "E.164")]
    [InlineData("prefix", "+8613812a", "E.164")]
    public void KeyProblem_NotAKeyOfTheScope_SaysWhy(string name, string key, string said)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.Contains(said, scope.KeyProblem(key), StringComparison.Ordinal);
    }

    [Fact]
    public void TakesAdminKey_PrefixAndCountryOnly() =>
        Assert.Equal([LimitScope.Country, LimitScope.Prefix], LimitScope.All.Where(s => s.TakesAdminKey));

    private static WindowLimit Window(int max) => new() { Window = TimeSpan.FromHours(1), Max = max };
}
