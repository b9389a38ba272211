using Microsoft.Extensions.Configuration;
using Verify.Delivery;
using Verify.Delivery.Providers;

namespace Verify.Server.Tests.Delivery;

/// <summary>The "webhook" type reading its section: defaults, and each invalid value named by its full key.</summary>
public sealed class WebhookOptionsValidatorTests
{
    private const string Section = "Verify:Delivery:Providers:webhook-1";

    [Fact]
    public void Bind_UrlOnly_HasNoProblemsAndTheDocumentedDefaults()
    {
        var (options, problems) = Bind(("Url", "https://sms.example.com/send"));

        Assert.Empty(problems);
        Assert.Null(options.SigningSecret);
        Assert.Equal(2, options.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryBackoff);
    }

    [Theory]
    [InlineData("Retries", "0")]
    [InlineData("Retries", "5")]
    [InlineData("RetryBackoff", "00:00:00.001")]
    [InlineData("RetryBackoff", "00:00:02")]
    public void Bind_BoundaryValues_AreAccepted(string key, string value)
    {
        var (_, problems) = Bind(("Url", "https://sms.example.com/send"), (key, value));

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("Url", "/relative", "Url: must be an absolute http or https URL")]
    [InlineData("Url", "ftp://sms.example.com/send", "Url: must be an absolute http or https URL")]
    [InlineData("SigningSecret", "too-short", "SigningSecret: must be at least 16 characters")]
    [InlineData("Retries", "-1", "Retries: must be between 0 and 5")]
    [InlineData("Retries", "6", "Retries: must be between 0 and 5")]
    [InlineData("RetryBackoff", "00:00:00", "RetryBackoff: must be between 00:00:00.001 and 00:00:02")]
    [InlineData("RetryBackoff", "00:00:02.001", "RetryBackoff: must be between 00:00:00.001 and 00:00:02")]
    public void Bind_InvalidValue_IsAProblemNamingTheFullKey(string key, string value, string expected)
    {
        var (_, problems) = Bind(("Url", "https://sms.example.com/send"), (key, value));

        Assert.Contains($"{Section}:{expected}", problems);
    }

    private static (WebhookOptions Options, List<string> Problems) Bind(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.GroupBy(v => v.Key).Select(g => new KeyValuePair<string, string?>($"{Section}:{g.Key}", g.Last().Value)))
            .Build();
        var problems = new List<string>();
        var options = (WebhookOptions)new WebhookProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
