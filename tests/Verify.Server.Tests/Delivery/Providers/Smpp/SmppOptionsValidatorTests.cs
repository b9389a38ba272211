using Microsoft.Extensions.Configuration;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Smpp;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

public sealed class SmppOptionsValidatorTests
{
    private static readonly Dictionary<string, Action<SmppOptions>> Changes = new()
    {
        ["Host/0"] = o => o.Host = "smpp://smsc.example.com",
        ["Host/1"] = o => o.Host = "smsc.example.com:2775",
        ["Port/2"] = o => o.Port = 0,
        ["Port/3"] = o => o.Port = 65536,
        ["SystemId/4"] = o => o.SystemId = new string('a', 16),
        ["SystemId/5"] = o => o.SystemId = "vérify",
        ["Password/6"] = o => o.Password = "123456789",
        ["SystemType/7"] = o => o.SystemType = new string('a', 13),
        ["ServiceType/8"] = o => o.ServiceType = "TOOLONG",
        ["SourceAddress/9"] = o => o.SourceAddress = "VerifyBankCo",
        ["SourceAddress/10"] = o => o.SourceAddress = "Vérify",
        ["SourceAddress/11"] = o => o.SourceAddress = new string('1', 21),
        ["SourceAddress/12"] = o => o.SourceAddress = "12+34",
        ["SourceTon/13"] = o => o.SourceTon = 7,
        ["SourceNpi/14"] = o => o.SourceNpi = 2,
        ["DataCoding/15"] = o => o.DataCoding = (SmppDataCoding)9,
        ["MessageIdFormat/16"] = o => o.MessageIdFormat = (SmppMessageIdFormat)9,
        ["ValidityPeriod/17"] = o => o.ValidityPeriod = TimeSpan.FromSeconds(30),
        ["ValidityPeriod/18"] = o => o.ValidityPeriod = TimeSpan.FromDays(8),
        ["EnquireLinkInterval/19"] = o => o.EnquireLinkInterval = TimeSpan.FromMilliseconds(500),
        ["EnquireLinkInterval/20"] = o => o.EnquireLinkInterval = TimeSpan.FromMinutes(11),
        ["ResponseTimeout/21"] = o => o.ResponseTimeout = TimeSpan.Zero,
        ["ResponseTimeout/22"] = o => o.ResponseTimeout = TimeSpan.FromMinutes(3),
        ["ReconnectMinDelay/23"] = o => o.ReconnectMinDelay = TimeSpan.Zero,
        ["ReconnectMaxDelay/24"] = o => o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        ["ReconnectMaxDelay/25"] = o => o.ReconnectMaxDelay = TimeSpan.FromHours(2),
        ["WindowSize/26"] = o => o.WindowSize = 0,
        ["WindowSize/27"] = o => o.WindowSize = 1001,
    };

    [Fact]
    public void Defaults_WithHostAndCredentials_AreValid()
    {
        var options = Valid();

        Assert.True(new SmppOptionsValidator().Validate(options).IsValid);
        Assert.Equal(2775, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), options.EnquireLinkInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ReconnectMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ReconnectMaxDelay);
        Assert.Equal(10, options.WindowSize);
        Assert.True(options.RegisteredDelivery);
        Assert.Equal(SmppDataCoding.Gsm7, options.DataCoding);
        Assert.Equal(SmppMessageIdFormat.AsIs, options.MessageIdFormat);
        Assert.False(options.UseTls);
    }

    [Fact]
    public void Defaults_WithoutHostOrCredentials_NameEachRequiredKey()
    {
        var errors = new SmppOptionsValidator().Validate(new SmppOptions()).Errors;

        Assert.Contains(errors, e => e.PropertyName == "Host" && e.ErrorMessage == "required");
        Assert.Contains(errors, e => e.PropertyName == "SystemId" && e.ErrorMessage == "required");
        Assert.Contains(errors, e => e.PropertyName == "Password" && e.ErrorMessage == "required");
    }

    /// <summary>"Key/n": the key the change breaks, and which change.</summary>
    public static TheoryData<string> Invalid => new(Changes.Keys);

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidValue_NamesTheKey(string change)
    {
        var options = Valid();
        Changes[change](options);

        var error = Assert.Single(new SmppOptionsValidator().Validate(options).Errors);

        Assert.Equal(change.Split('/')[0], error.PropertyName);
    }

    [Theory]
    [InlineData("Verify")]
    [InlineData("Verify Bank")]
    [InlineData("12345")]
    [InlineData("+8613812345678")]
    [InlineData("")]
    public void Validate_SenderIds_AreAccepted(string source)
    {
        var options = Valid();
        options.SourceAddress = source;

        Assert.True(new SmppOptionsValidator().Validate(options).IsValid);
    }

    [Fact]
    public void Catalog_SmppProvider_BindsAndReportsBadKeysWithTheirFullPath()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:Delivery:Providers:carrier:Type"] = "smpp",
            ["Verify:Delivery:Providers:carrier:Host"] = "smsc.example.com",
            ["Verify:Delivery:Providers:carrier:SystemId"] = "verify",
            ["Verify:Delivery:Providers:carrier:Password"] = "123456789",
            ["Verify:Delivery:Providers:carrier:WindowSize"] = "20",
        }).Build();

        var (settings, errors) = DeliveryCatalog.Build(configuration, outsideDevelopment: true, DeliveryProviderTypes.All);

        Assert.Null(settings);
        Assert.Equal("Verify:Delivery:Providers:carrier:Password: must be at most 8 printable ASCII characters", Assert.Single(errors));
    }

    [Fact]
    public void Catalog_SmppProvider_IsCreatedFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:Delivery:Providers:carrier:Type"] = "smpp",
            ["Verify:Delivery:Providers:carrier:Host"] = "10.0.0.5",
            ["Verify:Delivery:Providers:carrier:Port"] = "3550",
            ["Verify:Delivery:Providers:carrier:UseTls"] = "true",
            ["Verify:Delivery:Providers:carrier:SystemId"] = "verify",
            ["Verify:Delivery:Providers:carrier:Password"] = "secret",
            ["Verify:Delivery:Providers:carrier:DataCoding"] = "Ucs2",
            ["Verify:Delivery:Providers:carrier:ValidityPeriod"] = "00:10:00",
        }).Build();

        var (settings, errors) = DeliveryCatalog.Build(configuration, outsideDevelopment: true, DeliveryProviderTypes.All);

        Assert.Empty(errors);
        var options = Assert.IsType<SmppOptions>(settings!.Providers["carrier"].Options);
        Assert.Equal(3550, options.Port);
        Assert.True(options.UseTls);
        Assert.Equal(SmppDataCoding.Ucs2, options.DataCoding);
        Assert.Equal(TimeSpan.FromMinutes(10), options.ValidityPeriod);
    }

    private static SmppOptions Valid() => new() { Host = "smsc.example.com", SystemId = "verify", Password = "secret" };
}
