using Microsoft.Extensions.Configuration;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Twilio;

namespace Verify.Server.Tests.Delivery.Providers.Twilio;

/// <summary>A twilio provider's section, bound and checked as at start and on reload: each problem names its full key.</summary>
public sealed class TwilioOptionsValidatorTests
{
    private const string Section = "Verify:Delivery:Providers:tw";

    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Type"] = "twilio",
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["AuthToken"] = "f0e1d2c3b4a5968778695a4b3c2d1e0f",
        ["From"] = "+14155552345",
    };

    [Fact]
    public void Bind_Minimal_HasNoProblemsAndTheDefaults()
    {
        var (options, problems) = Bind(Valid);

        Assert.Empty(problems);
        Assert.Equal(new Uri("https://api.twilio.com"), options.BaseUrl);
        Assert.Null(options.VoiceFrom);
        Assert.Null(options.MessagingServiceSid);
        Assert.Null(options.ApiKeySid);
    }

    [Fact]
    public void Bind_Empty_NamesEachRequiredKey()
    {
        var (_, problems) = Bind(new Dictionary<string, string?> { ["Type"] = "twilio" });

        Assert.Contains($"{Section}:AccountSid: required", problems);
        Assert.Contains($"{Section}:AuthToken: required unless ApiKeySid and ApiKeySecret are set", problems);
        Assert.Contains($"{Section}:From: set exactly one of From and MessagingServiceSid", problems);
    }

    [Theory]
    [InlineData("BaseUrl", "http://api.twilio.com", "BaseUrl", "must be an absolute https URL (http only for localhost)")]
    [InlineData("BaseUrl", "not a url", "BaseUrl", "must be an absolute https URL (http only for localhost)")]
    [InlineData("AccountSid", "AC123", "AccountSid", "must be \"AC\" followed by 32 hex digits")]
    [InlineData("AccountSid", "SK0123456789abcdef0123456789abcdef", "AccountSid", "must be \"AC\" followed by 32 hex digits")]
    [InlineData("From", "14155552345", "From", "must be an E.164 number (+ and 7 to 15 digits) or an alphanumeric sender ID of up to 11 characters")]
    [InlineData("From", "VerifyBankLtd", "From", "must be an E.164 number (+ and 7 to 15 digits) or an alphanumeric sender ID of up to 11 characters")]
    [InlineData("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef", "From", "set exactly one of From and MessagingServiceSid")]
    [InlineData("VoiceFrom", "4155550100", "VoiceFrom", "must be an E.164 number (+ and 7 to 15 digits)")]
    [InlineData("ApiKeySid", "SK0123456789abcdef0123456789abcdef", "ApiKeySecret", "required with ApiKeySid")]
    public void Bind_InvalidValue_IsAProblemNamingTheKey(string key, string value, string problemKey, string message)
    {
        var (_, problems) = Bind(new Dictionary<string, string?>(Valid) { [key] = value });

        Assert.Contains($"{Section}:{problemKey}: {message}", problems);
    }

    [Fact]
    public void Bind_ApiKeyWithoutAuthToken_IsValid()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["AuthToken"] = null, ["ApiKeySid"] = "SK0123456789abcdef0123456789abcdef", ["ApiKeySecret"] = "secret" };
        settings.Remove("AuthToken");

        Assert.Empty(Bind(settings).Problems);
    }

    [Fact]
    public void Bind_BadApiKeySid_IsAProblem()
    {
        var (_, problems) = Bind(new Dictionary<string, string?>(Valid) { ["ApiKeySid"] = "AK123", ["ApiKeySecret"] = "secret" });

        Assert.Contains($"{Section}:ApiKeySid: must be \"SK\" followed by 32 hex digits", problems);
    }

    [Fact]
    public void Bind_ServiceInsteadOfFrom_IsValid()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef" };
        settings.Remove("From");

        Assert.Empty(Bind(settings).Problems);
    }

    [Fact]
    public void Bind_BadServiceSid_IsAProblem()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["MessagingServiceSid"] = "MG12" };
        settings.Remove("From");

        Assert.Contains($"{Section}:MessagingServiceSid: must be \"MG\" followed by 32 hex digits", Bind(settings).Problems);
    }

    [Theory]
    [InlineData("Verify")]
    [InlineData("Verify Bank")]
    [InlineData("+8613812345678")]
    public void Bind_AcceptedSenders_AreValid(string from) =>
        Assert.Empty(Bind(new Dictionary<string, string?>(Valid) { ["From"] = from }).Problems);

    [Fact]
    public void Bind_LoopbackHttpBaseUrl_IsAllowedForTests() =>
        Assert.Empty(Bind(new Dictionary<string, string?>(Valid) { ["BaseUrl"] = "http://127.0.0.1:8080" }).Problems);

    [Fact]
    public void Type_IsRegisteredAndSupportsVoice()
    {
        var type = DeliveryProviderTypes.All["twilio"];

        Assert.IsType<TwilioProviderType>(type);
        Assert.True(type.SupportsVoice);
        Assert.Contains("VoiceFrom", type.Keys);
    }

    [Fact]
    public void Catalog_TwilioForSmsAndVoice_IsAcceptedWithItsReceiptUrl()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Verify:Delivery:PublicBaseUrl"] = "https://verify.example.com",
            ["Verify:Delivery:Providers:twilio-main:Type"] = "twilio",
            ["Verify:Delivery:Providers:twilio-main:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Verify:Delivery:Providers:twilio-main:AuthToken"] = "f0e1d2c3b4a5968778695a4b3c2d1e0f",
            ["Verify:Delivery:Providers:twilio-main:From"] = "Verify",
            ["Verify:Delivery:Providers:twilio-main:VoiceFrom"] = "+14155550100",
            ["Verify:Delivery:Providers:twilio-main:Timeout"] = "00:00:05",
            ["Verify:Delivery:Routes:0:Channel"] = "sms",
            ["Verify:Delivery:Routes:0:Providers:0"] = "twilio-main",
            ["Verify:Delivery:Routes:1:Channel"] = "voice",
            ["Verify:Delivery:Routes:1:Providers:0"] = "twilio-main",
        }).Build();

        var (settings, errors) = Verify.Delivery.DeliveryCatalog.Build(configuration, outsideDevelopment: true, Verify.Delivery.Providers.DeliveryProviderTypes.All);

        Assert.Empty(errors);
        Assert.Equal(new Uri("https://verify.example.com/delivery/receipts/twilio-main"), settings!.ReceiptUrl("twilio-main"));
    }

    private static (TwilioOptions Options, List<string> Problems) Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{Section}:{s.Key}", s.Value)))
            .Build();
        var problems = new List<string>();
        var options = (TwilioOptions)new TwilioProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
