using Microsoft.Extensions.Configuration;
using Verify.Delivery.Providers.Huawei;

namespace Verify.Server.Tests.Delivery.Providers.Huawei;

/// <summary>The "huawei" type reading its section: defaults, and each invalid value named by its full key.</summary>
public sealed class HuaweiOptionsValidatorTests
{
    private const string Section = "Verify:Delivery:Providers:huawei-cn";

    [Fact]
    public void Bind_CompleteSection_HasNoProblemsAndTheDocumentedDefaults()
    {
        var (options, problems) = Bind(Valid());

        Assert.Empty(problems);
        Assert.Equal("hw-login-en", options.Templates["LOGIN/EN"]);
        Assert.Null(options.TemplateParameters);
        Assert.Null(options.Signature);
        Assert.Null(options.ReceiptToken);
    }

    [Fact]
    public void Bind_TemplateParameters_KeepsTheConfiguredOrder()
    {
        var (options, problems) = Bind(Valid(("TemplateParameters:0", "minutes"), ("TemplateParameters:1", "code")));

        Assert.Empty(problems);
        Assert.Equal(["minutes", "code"], options.TemplateParameters!);
    }

    [Theory]
    [InlineData("BaseUrl", "http://smsapi.cn-north-4.myhuaweicloud.com", "BaseUrl: must be an absolute https URL")]
    [InlineData("BaseUrl", "smsapi.cn-north-4.myhuaweicloud.com", "BaseUrl: must be an absolute https URL")]
    [InlineData("AppKey", "", "AppKey: required")]
    [InlineData("AppSecret", "", "AppSecret: required")]
    [InlineData("Sender", "", "Sender: required")]
    [InlineData("TemplateParameters:0", "otp", "TemplateParameters: each must be one of code, minutes, amount, currency, payee")]
    [InlineData("ReceiptToken", "short", "ReceiptToken: must be 16 to 128 characters")]
    [InlineData("ReceiptToken", "has spaces in the token", "ReceiptToken: must be 16 to 128 characters")]
    public void Bind_InvalidValue_IsAProblemNamingTheFullKey(string key, string value, string expected)
    {
        var (_, problems) = Bind(Valid((key, value)));

        Assert.Contains(problems, p => p.StartsWith($"{Section}:{expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_NoTemplates_IsAProblem()
    {
        var values = Valid().Where(v => !v.Key.StartsWith("Templates", StringComparison.Ordinal)).ToArray();

        var (_, problems) = Bind(values);

        Assert.Contains(problems, p => p.StartsWith($"{Section}:Templates: required", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_MissingBaseUrl_IsAProblem()
    {
        var values = Valid().Where(v => v.Key != "BaseUrl").ToArray();

        var (_, problems) = Bind(values);

        Assert.Contains(problems, p => p.StartsWith($"{Section}:BaseUrl: must be an absolute https URL", StringComparison.Ordinal));
    }

    private static KeyValuePair<string, string>[] Valid(params (string Key, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BaseUrl"] = "https://smsapi.cn-north-4.myhuaweicloud.com:443",
            ["AppKey"] = "c8RWg3ggEcyd4D3p94bf3Y7x1Ile",
            ["AppSecret"] = "q4Ii87BhST9vcs8wvrzN80SfD7Al",
            ["Sender"] = "8824110605123",
            ["Templates:login/en"] = "hw-login-en",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return values.ToArray();
    }

    private static (HuaweiOptions Options, List<string> Problems) Bind(KeyValuePair<string, string>[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"{Section}:{v.Key}", v.Value)))
            .Build();
        var problems = new List<string>();
        var options = (HuaweiOptions)new HuaweiProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
