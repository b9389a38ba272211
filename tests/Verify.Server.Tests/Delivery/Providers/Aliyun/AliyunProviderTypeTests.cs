using Microsoft.Extensions.Configuration;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Aliyun;

namespace Verify.Server.Tests.Delivery.Providers.Aliyun;

/// <summary>The "aliyun" provider's settings as read from configuration and checked by its validator.</summary>
public sealed class AliyunProviderTypeTests
{
    private const string Section = "Verify:Delivery:Providers:sms-cn";

    private static readonly Dictionary<string, string?> Valid = new()
    {
        [$"{Section}:Type"] = "aliyun",
        [$"{Section}:AccessKeyId"] = "LTAI5tTestAccessKeyId",
        [$"{Section}:AccessKeySecret"] = "secret",
        [$"{Section}:SignName"] = "Verify验证",
        [$"{Section}:Templates:login/en"] = "SMS_1",
        [$"{Section}:Templates:login"] = "SMS_2",
    };

    [Fact]
    public void All_Aliyun_IsRegistered() => Assert.IsType<AliyunProviderType>(DeliveryProviderTypes.All["aliyun"]);

    [Fact]
    public void Bind_MinimalSettings_NoProblemsAndDocumentedDefaults()
    {
        var (options, problems) = Bind(Valid);

        Assert.Empty(problems);
        Assert.Equal("cn-hangzhou", options.RegionId);
        Assert.Equal(new Uri("https://dysmsapi.aliyuncs.com"), options.BaseUrl);
        Assert.Empty(options.TemplateParameters);
        Assert.Null(options.ReceiptToken);
        Assert.Equal("SMS_1", options.Templates["login/en"]);
        Assert.Equal("SMS_2", options.Templates["LOGIN"]);
    }

    [Fact]
    public void Bind_FullSettings_NoProblems()
    {
        var (options, problems) = Bind(With(
            ("RegionId", "cn-shanghai"),
            ("BaseUrl", "https://dysmsapi.aliyuncs.com/"),
            ("TemplateParameters:code", "code"),
            ("TemplateParameters:minutes", "ttl"),
            ("ReceiptToken", "Abc-_.~0123456789xyz")));

        Assert.Empty(problems);
        Assert.Equal("ttl", options.TemplateParameters["minutes"]);
        Assert.Equal("Abc-_.~0123456789xyz", options.ReceiptToken);
    }

    [Theory]
    [InlineData("AccessKeyId", "", "AccessKeyId: required")]
    [InlineData("AccessKeySecret", "", "AccessKeySecret: required")]
    [InlineData("SignName", " ", "SignName: required")]
    [InlineData("RegionId", "", "RegionId: required")]
    [InlineData("BaseUrl", "http://dysmsapi.aliyuncs.com", "BaseUrl: must be an absolute https URL without a path (http only to a loopback address)")]
    [InlineData("BaseUrl", "https://dysmsapi.aliyuncs.com/proxy", "BaseUrl: must be an absolute https URL without a path (http only to a loopback address)")]
    [InlineData("BaseUrl", "https://dysmsapi.aliyuncs.com/?a=b", "BaseUrl: must be an absolute https URL without a path (http only to a loopback address)")]
    [InlineData("Templates:login/en", "", "Templates:login/en: the TemplateCode is required")]
    [InlineData("TemplateParameters:cod", "code", "TemplateParameters:cod: not a parameter of Verify's templates: map one of code, minutes, amount, currency, payee")]
    [InlineData("TemplateParameters:code", "", "TemplateParameters:code: the template's variable name is required")]
    [InlineData("ReceiptToken", "short-token", "ReceiptToken: must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'")]
    [InlineData("ReceiptToken", "a token with spaces in it", "ReceiptToken: must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'")]
    [InlineData("ReceiptToken", "token&other=0123456789", "ReceiptToken: must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'")]
    public void Bind_InvalidValue_ProblemNamesTheFullKey(string key, string value, string expected)
    {
        var (_, problems) = Bind(With((key, value)));

        Assert.Equal($"{Section}:{expected}", Assert.Single(problems));
    }

    [Fact]
    public void Bind_NoTemplates_AskForOne()
    {
        var settings = Valid.Where(e => !e.Key.Contains(":Templates:", StringComparison.Ordinal)).ToDictionary();

        var (_, problems) = Bind(settings);

        Assert.Equal($"{Section}:Templates: map at least one template (\"login/en\" or \"login\") to its TemplateCode", Assert.Single(problems));
    }

    [Fact]
    public void Bind_Empty_EveryRequiredKeyReported()
    {
        var (_, problems) = Bind(new Dictionary<string, string?> { [$"{Section}:Type"] = "aliyun" });

        Assert.Equal(
            [$"{Section}:AccessKeyId: required", $"{Section}:AccessKeySecret: required", $"{Section}:SignName: required", $"{Section}:Templates: map at least one template (\"login/en\" or \"login\") to its TemplateCode"],
            problems);
    }

    [Fact]
    public void Bind_LoopbackHttpBaseUrl_IsAllowedForTests()
    {
        var (_, problems) = Bind(With(("BaseUrl", "http://127.0.0.1:5080")));

        Assert.Empty(problems);
    }

    [Fact]
    public void CatalogBuild_ProductionWithThisProvider_NoErrors()
    {
        var (settings, errors) = DeliveryCatalog.Build(new ConfigurationBuilder().AddInMemoryCollection(Valid).Build(), outsideDevelopment: true, DeliveryProviderTypes.All);

        Assert.Empty(errors);
        Assert.Equal("aliyun", settings!.Providers[Section.Split(':')[^1]].Kind.Type);
    }

    [Fact]
    public void CatalogBuild_MisspelledKey_IsReported()
    {
        var (_, errors) = DeliveryCatalog.Build(new ConfigurationBuilder().AddInMemoryCollection(With(("AccessKeySecrt", "x"))).Build(), outsideDevelopment: true, DeliveryProviderTypes.All);

        Assert.Contains($"{Section}:AccessKeySecrt: not a setting of a aliyun provider", errors);
    }

    private static Dictionary<string, string?> With(params (string Key, string Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in changes)
        {
            settings[$"{Section}:{key}"] = value;
        }

        return settings;
    }

    private static (AliyunOptions Options, List<string> Problems) Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var problems = new List<string>();
        var options = (AliyunOptions)new AliyunProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
