using Microsoft.Extensions.Configuration;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery;

/// <summary>What <c>Verify:Delivery</c> accepts, and the key each refusal names.</summary>
public sealed class DeliveryCatalogTests
{
    private static readonly IReadOnlyDictionary<string, IDeliveryProviderType> Kinds =
        DeliveryCatalog.ByType(DeliveryProviderTypes.All.Values.Append(new ScriptedProviderType()));

    [Fact]
    public void Build_NothingConfigured_IsTheConsoleForEveryTextMessage()
    {
        var settings = Valid([]);

        var provider = Assert.Single(settings.Providers.Values);
        Assert.Equal(("console", "console"), (provider.Name, provider.Kind.Type));
        Assert.Equal(["console"], settings.RouteFor("login", "CN", DeliveryChannel.Sms)!.Providers);
        Assert.Null(settings.RouteFor("login", "CN", DeliveryChannel.Voice));
    }

    [Fact]
    public void Build_WebhookUrlOnly_IsTheWebhookWithItsLegacyTimeout()
    {
        var settings = Valid(new() { ["Verify:Delivery:Webhook:Url"] = "https://sms.example.com/send", ["Verify:Delivery:Webhook:Timeout"] = "00:00:02" });

        var provider = Assert.Single(settings.Providers.Values);
        Assert.Equal(("webhook", "webhook"), (provider.Name, provider.Kind.Type));
        Assert.Equal(TimeSpan.FromSeconds(2), provider.Guards.Timeout);
        Assert.Equal(new Uri("https://sms.example.com/send"), ((WebhookOptions)provider.Options).Url);
    }

    [Fact]
    public void Build_ConsoleInProduction_IsRefused() =>
        Assert.Contains(Errors([], outsideDevelopment: true), e => e.Contains("console sender prints codes", StringComparison.Ordinal));

    [Fact]
    public void Build_TwoProvidersWithoutRoutes_AsksForRoutes() =>
        Assert.Contains("Verify:Delivery:Routes: required when more than one provider is configured (which serves what, in which order)", Errors(new()
        {
            ["Verify:Delivery:Providers:a:Type"] = "scripted",
            ["Verify:Delivery:Providers:b:Type"] = "scripted",
        }));

    [Fact]
    public void Build_OneVoiceCapableProviderWithoutRoutes_ServesTextAndVoice()
    {
        var settings = Valid(new() { ["Verify:Delivery:Providers:only:Type"] = "scripted" });

        Assert.NotNull(settings.RouteFor("signup", "US", DeliveryChannel.Sms));
        Assert.NotNull(settings.RouteFor("signup", "US", DeliveryChannel.Voice));
    }

    [Theory]
    [InlineData("Verify:Delivery:Providers:a:Type", "sms-o-matic", "Verify:Delivery:Providers:a:Type: must be one of")]
    [InlineData("Verify:Delivery:Providers:a:Colour", "blue", "Verify:Delivery:Providers:a:Colour: not a setting of a scripted provider")]
    [InlineData("Verify:Delivery:Providers:a:Timeout", "00:02:00", "Verify:Delivery:Providers:a:Timeout: must be between 00:00:00.1 and 00:01:00")]
    [InlineData("Verify:Delivery:Providers:a:MaxConcurrency", "0", "Verify:Delivery:Providers:a:MaxConcurrency: must be between 1 and 10000")]
    [InlineData("Verify:Delivery:Providers:a:Breaker:FailureRatio", "1.5", "Verify:Delivery:Providers:a:Breaker:FailureRatio: must be between 0.01 and 1")]
    [InlineData("Verify:Delivery:Providers:a:Breaker:BreakDuration", "00:00:00.1", "Verify:Delivery:Providers:a:Breaker:BreakDuration: must be between")]
    [InlineData("Verify:Delivery:Routes:0:Channel", "fax", "Verify:Delivery:Routes:0:Channel: must be \"sms\" or \"voice\"")]
    [InlineData("Verify:Delivery:Routes:0:Providers:1", "nobody", "Verify:Delivery:Routes:0:Providers:1: no provider \"nobody\" under Verify:Delivery:Providers")]
    [InlineData("Verify:Delivery:Routes:0:Providers:1", "a", "Verify:Delivery:Routes:0:Providers: a provider is listed twice")]
    [InlineData("Verify:Delivery:Routes:0:Countries:0", "China", "Verify:Delivery:Routes:0:Countries:0: must be an ISO 3166-1 alpha-2 code")]
    [InlineData("Verify:Delivery:PublicBaseUrl", "verify.example.com", "Verify:Delivery:PublicBaseUrl: must be an absolute https (or http) URL")]
    public void Build_InvalidValue_IsRefusedNamingItsKey(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Verify:Delivery:Providers:a:Type"] = "scripted",
            ["Verify:Delivery:Routes:0:Providers:0"] = "a",
            [key] = value,
        };

        Assert.Contains(Errors(settings), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ProviderName_MustBeUrlAndMetricSafe() =>
        Assert.Contains(Errors(new() { ["Verify:Delivery:Providers:a b:Type"] = "scripted" }), e => e.StartsWith("Verify:Delivery:Providers:a b: a provider name is", StringComparison.Ordinal));

    [Fact]
    public void Build_VoiceRouteToATextOnlyProvider_IsRefused() =>
        Assert.Contains("Verify:Delivery:Routes:0:Providers:0: a webhook provider cannot make voice calls", Errors(new()
        {
            ["Verify:Delivery:Providers:hook:Type"] = "webhook",
            ["Verify:Delivery:Providers:hook:Url"] = "https://sms.example.com/send",
            ["Verify:Delivery:Routes:0:Channel"] = "voice",
            ["Verify:Delivery:Routes:0:Providers:0"] = "hook",
        }));

    [Fact]
    public void Build_ProvidersOwnSettingInvalid_IsRefusedNamingItsFullKey() =>
        Assert.Contains("Verify:Delivery:Providers:hook:Url: must be an absolute http or https URL", Errors(new()
        {
            ["Verify:Delivery:Providers:hook:Type"] = "webhook",
            ["Verify:Delivery:Providers:hook:Url"] = "ftp://sms.example.com/send",
        }));

    [Fact]
    public void ReceiptUrl_PublicBaseUrlWithAPath_KeepsThePath()
    {
        var settings = Valid(new()
        {
            ["Verify:Delivery:Providers:a:Type"] = "scripted",
            ["Verify:Delivery:PublicBaseUrl"] = "https://edge.example.com/verify",
        });

        Assert.Equal(new Uri("https://edge.example.com/verify/delivery/receipts/a"), settings.ReceiptUrl("a"));
    }

    [Fact]
    public void ReceiptUrl_NoPublicBaseUrl_IsNull() =>
        Assert.Null(Valid(new() { ["Verify:Delivery:Providers:a:Type"] = "scripted" }).ReceiptUrl("a"));

    [Fact]
    public async Task Reload_AddingAProvider_IsRefusedAndTheRoutesStay()
    {
        await using var delivery = new DeliveryHarness(new()
        {
            ["Verify:Delivery:Providers:a:Type"] = "scripted",
        });
        var before = delivery.Catalog.Current;
        var refused = false;
        delivery.Catalog.Reloaded += (_, accepted) => refused |= !accepted;

        delivery.Reload(new() { ["Verify:Delivery:Providers:b:Type"] = "scripted", ["Verify:Delivery:Routes:0:Providers:0"] = "b" });

        Assert.True(refused);
        Assert.Same(before, delivery.Catalog.Current);
    }

    [Fact]
    public async Task Reload_ChangingAProvidersGuards_IsAccepted()
    {
        await using var delivery = new DeliveryHarness(new() { ["Verify:Delivery:Providers:a:Type"] = "scripted" });

        delivery.Reload(new() { ["Verify:Delivery:Providers:a:Timeout"] = "00:00:01" });

        Assert.Equal(TimeSpan.FromSeconds(1), delivery.Catalog.Current.Providers["a"].Guards.Timeout);
    }

    private static DeliverySettings Valid(Dictionary<string, string?> settings)
    {
        var (built, errors) = DeliveryCatalog.Build(Configuration(settings), outsideDevelopment: false, Kinds);
        Assert.Empty(errors);
        return built!;
    }

    private static List<string> Errors(Dictionary<string, string?> settings, bool outsideDevelopment = false)
    {
        var (built, errors) = DeliveryCatalog.Build(Configuration(settings), outsideDevelopment, Kinds);
        Assert.Null(built);
        return errors;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
