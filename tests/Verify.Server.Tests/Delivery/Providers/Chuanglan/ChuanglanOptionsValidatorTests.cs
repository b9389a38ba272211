using Microsoft.Extensions.Configuration;
using Verify.Delivery.Providers.Chuanglan;

namespace Verify.Server.Tests.Delivery.Providers.Chuanglan;

/// <summary>The "chuanglan" type reading its section: defaults, and each invalid value named by its full key.</summary>
public sealed class ChuanglanOptionsValidatorTests
{
    private const string Section = "Verify:Delivery:Providers:chuanglan";

    [Fact]
    public void Bind_AccountAndPasswordOnly_HasNoProblemsAndTheDocumentedDefaults()
    {
        var (options, problems) = Bind(Valid());

        Assert.Empty(problems);
        Assert.Equal(new Uri("https://smssh1.253.com"), options.BaseUrl);
        Assert.Null(options.Signature);
        Assert.Null(options.ReceiptToken);
        Assert.Null(options.ReceiptReceiver);
        Assert.Null(options.ReceiptPassword);
    }

    [Theory]
    [InlineData("BaseUrl", "http://smssh1.253.com", "BaseUrl: must be an absolute https URL")]
    [InlineData("Account", "", "Account: required")]
    [InlineData("Password", "", "Password: required")]
    [InlineData("Signature", "【Verify】", "Signature: must be 1 to 20 characters, without 【】")]
    [InlineData("Signature", "", "Signature: must be 1 to 20 characters, without 【】")]
    [InlineData("ReceiptToken", "short", "ReceiptToken: must be 16 to 128 characters")]
    [InlineData("ReceiptReceiver", "", "ReceiptReceiver: must not be empty")]
    [InlineData("ReceiptPassword", "", "ReceiptPassword: must not be empty")]
    public void Bind_InvalidValue_IsAProblemNamingTheFullKey(string key, string value, string expected)
    {
        var (_, problems) = Bind(Valid((key, value)));

        Assert.Contains(problems, p => p.StartsWith($"{Section}:{expected}", StringComparison.Ordinal));
    }

    private static KeyValuePair<string, string>[] Valid(params (string Key, string Value)[] overrides)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["Account"] = "N6000001", ["Password"] = "api-password-123456" };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return values.ToArray();
    }

    private static (ChuanglanOptions Options, List<string> Problems) Bind(KeyValuePair<string, string>[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"{Section}:{v.Key}", v.Value)))
            .Build();
        var problems = new List<string>();
        var options = (ChuanglanOptions)new ChuanglanProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
