using Microsoft.Extensions.Configuration;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Vonage;

namespace Verify.Server.Tests.Delivery.Providers.Vonage;

/// <summary>A vonage provider's section, bound and checked as at start and on reload: each problem names its full key.</summary>
public sealed class VonageOptionsValidatorTests
{
    private const string Section = "Verify:Delivery:Providers:vn";

    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Type"] = "vonage",
        ["ApiKey"] = "abcd1234",
        ["ApiSecret"] = "abcdef0123456789",
        ["From"] = "Verify",
    };

    [Fact]
    public void Bind_Minimal_HasNoProblemsAndTheDefaults()
    {
        var (options, problems) = Bind(Valid);

        Assert.Empty(problems);
        Assert.Equal(new Uri("https://rest.nexmo.com"), options.BaseUrl);
        Assert.Equal("md5hash", options.SignatureMethod);
        Assert.Null(options.SignatureSecret);
        Assert.Null(options.ReceiptToken);
    }

    [Fact]
    public void Bind_Empty_NamesEachRequiredKey()
    {
        var (_, problems) = Bind(new Dictionary<string, string?> { ["Type"] = "vonage" });

        Assert.Equal(
            [$"{Section}:ApiKey: required", $"{Section}:ApiSecret: required unless SignatureSecret is set", $"{Section}:From: required"],
            problems.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("BaseUrl", "http://rest.nexmo.com", "must be an absolute https URL (http only for localhost)")]
    [InlineData("SignatureMethod", "sha384", "must be md5hash, md5, sha1, sha256 or sha512")]
    [InlineData("From", "+8613812345678", "must be a number of up to 15 digits or an alphanumeric sender ID of up to 11 characters")]
    [InlineData("From", "VerifyBankLtd", "must be a number of up to 15 digits or an alphanumeric sender ID of up to 11 characters")]
    [InlineData("ReceiptToken", "too-short", "must be at least 32 characters")]
    public void Bind_InvalidValue_IsAProblemNamingTheKey(string key, string value, string message)
    {
        var (_, problems) = Bind(new Dictionary<string, string?>(Valid) { [key] = value });

        Assert.Equal([$"{Section}:{key}: {message}"], problems);
    }

    [Fact]
    public void Bind_SignatureSecretWithoutApiSecret_IsValid()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["SignatureSecret"] = "a-signature-secret", ["SignatureMethod"] = "sha256" };
        settings.Remove("ApiSecret");

        Assert.Empty(Bind(settings).Problems);
    }

    [Theory]
    [InlineData("447700900000")]
    [InlineData("Verify Bank")]
    public void Bind_AcceptedSenders_AreValid(string from) =>
        Assert.Empty(Bind(new Dictionary<string, string?>(Valid) { ["From"] = from }).Problems);

    [Fact]
    public void Type_IsRegisteredForSmsOnly()
    {
        var type = DeliveryProviderTypes.All["vonage"];

        Assert.IsType<VonageProviderType>(type);
        Assert.False(type.SupportsVoice);
        Assert.Contains("ReceiptToken", type.Keys);
    }

    [Fact]
    public void Catalog_VonageOnAVoiceRoute_IsRefused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:Delivery:Providers:vonage-main:Type"] = "vonage",
            ["Verify:Delivery:Providers:vonage-main:ApiKey"] = "abcd1234",
            ["Verify:Delivery:Providers:vonage-main:ApiSecret"] = "abcdef0123456789",
            ["Verify:Delivery:Providers:vonage-main:From"] = "Verify",
            ["Verify:Delivery:Routes:0:Channel"] = "sms",
            ["Verify:Delivery:Routes:0:Providers:0"] = "vonage-main",
            ["Verify:Delivery:Routes:1:Channel"] = "voice",
            ["Verify:Delivery:Routes:1:Providers:0"] = "vonage-main",
        }).Build();

        var (_, errors) = Verify.Delivery.DeliveryCatalog.Build(configuration, outsideDevelopment: true, Verify.Delivery.Providers.DeliveryProviderTypes.All);

        Assert.Equal(["Verify:Delivery:Routes:1:Providers:0: a vonage provider cannot make voice calls"], errors);
    }

    private static (VonageOptions Options, List<string> Problems) Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{Section}:{s.Key}", s.Value)))
            .Build();
        var problems = new List<string>();
        var options = (VonageOptions)new VonageProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
