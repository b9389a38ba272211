using Verify.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Delivery.Phones;
using Verify.Server.Tests.Delivery.Providers.Smpp;

namespace Verify.Server.Tests.Configuration;

/// <summary><c>Verify:Policies:&lt;purpose&gt;:LineTypes:Sms</c> and <c>:Voice</c>: which numbers a purpose's codes may go to.</summary>
public sealed class PolicyLineTypesTests
{
    [Theory]
    [InlineData("Mobile", true, true)]
    [InlineData("FixedLineOrMobile", true, true)]
    [InlineData("FixedLine", false, true)]
    [InlineData("TollFree", false, false)]
    [InlineData("PremiumRate", false, false)]
    [InlineData("SharedCost", false, false)]
    [InlineData("Voip", false, false)]
    [InlineData("PersonalNumber", false, false)]
    [InlineData("Pager", false, false)]
    [InlineData("Uan", false, false)]
    [InlineData("Voicemail", false, false)]
    public void Defaults_EveryPurpose_TextsMobilesAndCallsMobilesAndLandlines(string type, bool sms, bool voice)
    {
        var lineType = Enum.Parse<PhoneLineType>(type);
        using var catalog = Catalog([]);

        foreach (var purpose in catalog.Purposes)
        {
            Assert.True(catalog.TryGet(purpose, out var policy));
            Assert.Equal(sms, policy.AllowsLineType(lineType, DeliveryChannel.Sms));
            Assert.Equal(voice, policy.AllowsLineType(lineType, DeliveryChannel.Voice));
        }
    }

    [Fact]
    public void Configured_SmsList_ReplacesTheDefaultAndLeavesVoiceAndOtherPurposesAlone()
    {
        using var catalog = Catalog(new()
        {
            ["Verify:Policies:payment:LineTypes:Sms:0"] = "Mobile",
        });

        Assert.True(catalog.TryGet("payment", out var payment));
        Assert.True(payment.AllowsLineType(PhoneLineType.Mobile, DeliveryChannel.Sms));
        Assert.False(payment.AllowsLineType(PhoneLineType.FixedLineOrMobile, DeliveryChannel.Sms));
        Assert.True(payment.AllowsLineType(PhoneLineType.FixedLineOrMobile, DeliveryChannel.Voice));
        Assert.True(catalog.TryGet("login", out var login));
        Assert.True(login.AllowsLineType(PhoneLineType.FixedLineOrMobile, DeliveryChannel.Sms));
    }

    [Fact]
    public void Configured_VoiceList_CanAddTypesTheDefaultRefuses()
    {
        using var catalog = Catalog(new()
        {
            ["Verify:Policies:signup:LineTypes:Voice:0"] = "fixedline",
            ["Verify:Policies:signup:LineTypes:Voice:1"] = "Voip",
        });

        Assert.True(catalog.TryGet("signup", out var signup));
        Assert.True(signup.AllowsLineType(PhoneLineType.Voip, DeliveryChannel.Voice));
        Assert.True(signup.AllowsLineType(PhoneLineType.FixedLine, DeliveryChannel.Voice));
        Assert.False(signup.AllowsLineType(PhoneLineType.Mobile, DeliveryChannel.Voice));
        Assert.False(signup.AllowsLineType(PhoneLineType.Voip, DeliveryChannel.Sms));
    }

    [Theory]
    [InlineData("Verify:Policies:login:LineTypes:Sms:0", "Landline", "Verify:Policies:login:LineTypes:Sms:0: must be one of FixedLine, Mobile, FixedLineOrMobile,")]
    [InlineData("Verify:Policies:login:LineTypes:Sms:0", "Unknown", "Verify:Policies:login:LineTypes:Sms:0: must be one of")]
    [InlineData("Verify:Policies:login:LineTypes:Voice:0", "4", "Verify:Policies:login:LineTypes:Voice:0: must be one of")]
    [InlineData("Verify:Policies:login:LineTypes:Voice:0", "Mobile, Pager", "Verify:Policies:login:LineTypes:Voice:0: must be one of")]
    [InlineData("Verify:Policies:login:LineTypes:Fax:0", "Mobile", "Fax")]
    public void Invalid_AtStart_RefusesToStartNamingTheKey(string key, string value, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Catalog(new() { [key] = value }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_TheSameTypeTwice_IsRefusedNamingTheList()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Catalog(new()
        {
            ["Verify:Policies:login:LineTypes:Sms:0"] = "Mobile",
            ["Verify:Policies:login:LineTypes:Sms:1"] = "mobile",
        }));

        Assert.Contains("Verify:Policies:login:LineTypes:Sms: must name at least one line type, each once", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_InvalidLineType_IsRefusedWithALogLineNamingTheKeyAndTheLastGoodListStays()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Verify:Policies:login:LineTypes:Sms:0"] = "Mobile" }).Build();
        var logger = new ListLogger<PolicyCatalog>();
        using var catalog = new PolicyCatalog(configuration, logger, TestEnvironment.Development);
        bool? accepted = null;
        catalog.Reloaded += ok => accepted = ok;

        configuration["Verify:Policies:login:LineTypes:Sms:0"] = "Satellite";
        configuration.Reload();

        Assert.False(accepted);
        Assert.Contains(logger.Lines, line => line.Contains("Verify:Policies:login:LineTypes:Sms:0", StringComparison.Ordinal));
        Assert.True(catalog.TryGet("login", out var login));
        Assert.True(login.AllowsLineType(PhoneLineType.Mobile, DeliveryChannel.Sms));
        Assert.False(login.AllowsLineType(PhoneLineType.FixedLineOrMobile, DeliveryChannel.Sms));
    }

    [Fact]
    public void Reload_ValidLineTypes_ApplyAtOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        using var catalog = new PolicyCatalog(configuration, NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);

        configuration["Verify:Policies:login:LineTypes:Sms:0"] = "Mobile";
        configuration.Reload();

        Assert.True(catalog.TryGet("login", out var login));
        Assert.False(login.AllowsLineType(PhoneLineType.FixedLineOrMobile, DeliveryChannel.Sms));
    }

    private static PolicyCatalog Catalog(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);
}
