using Microsoft.Extensions.Configuration;
using Verify.Delivery.Providers.Ronglian;

namespace Verify.Server.Tests.Delivery.Providers.Ronglian;

/// <summary>The "ronglian" type reading its section: defaults, and each invalid value named by its full key.</summary>
public sealed class RonglianOptionsValidatorTests
{
    private const string Section = "Verify:Delivery:Providers:ronglian";

    [Fact]
    public void Bind_RequiredKeysOnly_HasNoProblemsAndTheDocumentedDefaults()
    {
        var (options, problems) = Bind(Valid());

        Assert.Empty(problems);
        Assert.Equal(new Uri("https://app.cloopen.com:8883"), options.BaseUrl);
        Assert.Null(options.TemplateParameters);
        Assert.Equal("1", options.Templates["login"]);
    }

    [Theory]
    [InlineData("BaseUrl", "http://app.cloopen.com:8883", "BaseUrl: must be an absolute https URL")]
    [InlineData("AccountSid", "", "AccountSid: required")]
    [InlineData("AccountSid", "8aaf/0708", "AccountSid: required")]
    [InlineData("AuthToken", "", "AuthToken: required")]
    [InlineData("AppId", "", "AppId: required")]
    [InlineData("TemplateParameters:0", "otp", "TemplateParameters: each must be one of code, minutes, amount, currency, payee")]
    public void Bind_InvalidValue_IsAProblemNamingTheFullKey(string key, string value, string expected)
    {
        var (_, problems) = Bind(Valid((key, value)));

        Assert.Contains(problems, p => p.StartsWith($"{Section}:{expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_NoTemplates_IsAProblem()
    {
        var (_, problems) = Bind(Valid().Where(v => !v.Key.StartsWith("Templates", StringComparison.Ordinal)).ToArray());

        Assert.Contains(problems, p => p.StartsWith($"{Section}:Templates: required", StringComparison.Ordinal));
    }

    private static KeyValuePair<string, string>[] Valid(params (string Key, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = "8aaf07086904be0b0169bb7c8b4f1234",
            ["AuthToken"] = "e4c1c93a5e7744df9c6b0fa7f9e2a7d1",
            ["AppId"] = "8aaf07086904be0b0169bb7c8b4f5678",
            ["Templates:login"] = "1",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return values.ToArray();
    }

    private static (RonglianOptions Options, List<string> Problems) Bind(KeyValuePair<string, string>[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"{Section}:{v.Key}", v.Value)))
            .Build();
        var problems = new List<string>();
        var options = (RonglianOptions)new RonglianProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
