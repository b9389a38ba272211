using Microsoft.Extensions.Configuration;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Tencent;

namespace Verify.Server.Tests.Delivery.Providers.Tencent;

/// <summary>The "tencent" provider's settings as read from configuration and checked by its validator.</summary>
public sealed class TencentProviderTypeTests
{
    private const string Section = "Verify:Delivery:Providers:sms-tc";

    private static readonly Dictionary<string, string?> Valid = new()
    {
        [$"{Section}:Type"] = "tencent",
        [$"{Section}:SecretId"] = "AKIDtest",
        [$"{Section}:SecretKey"] = "secret",
        [$"{Section}:SmsSdkAppId"] = "1400006666",
        [$"{Section}:Templates:login/en"] = "1110",
    };

    [Fact]
    public void All_Tencent_IsRegistered() => Assert.IsType<TencentProviderType>(DeliveryProviderTypes.All["tencent"]);

    [Fact]
    public void Bind_MinimalSettings_NoProblemsAndDocumentedDefaults()
    {
        var (options, problems) = Bind(Valid);

        Assert.Empty(problems);
        Assert.Equal("ap-guangzhou", options.Region);
        Assert.Equal(new Uri("https://sms.tencentcloudapi.com"), options.BaseUrl);
        Assert.Null(options.SignName);
        Assert.Null(options.SenderId);
        Assert.Null(options.ReceiptToken);
        Assert.Empty(options.TemplateParameters);
        Assert.Equal(["code", "minutes"], TencentOptions.DefaultTemplateParameters);
    }

    /// <summary>An array bound from configuration replaces the default rather than adding to it.</summary>
    [Fact]
    public void Bind_TemplateParameters_AreExactlyTheConfiguredOnes()
    {
        var (options, problems) = Bind(With(("TemplateParameters:0", "code"), ("SignName", "腾讯云"), ("ReceiptToken", "0123456789abcdef")));

        Assert.Empty(problems);
        Assert.Equal(["code"], options.TemplateParameters);
    }

    [Theory]
    [InlineData("SecretId", "", "SecretId: required")]
    [InlineData("SecretKey", "", "SecretKey: required")]
    [InlineData("SmsSdkAppId", "", "SmsSdkAppId: required: the SMS application's SdkAppId, digits (e.g. 1400006666)")]
    [InlineData("SmsSdkAppId", "app-1400006666", "SmsSdkAppId: required: the SMS application's SdkAppId, digits (e.g. 1400006666)")]
    [InlineData("Region", "", "Region: required")]
    [InlineData("BaseUrl", "http://sms.tencentcloudapi.com", "BaseUrl: must be an absolute https URL without a path (http only to a loopback address)")]
    [InlineData("BaseUrl", "https://sms.tencentcloudapi.com/v3", "BaseUrl: must be an absolute https URL without a path (http only to a loopback address)")]
    [InlineData("Templates:login/en", "", "Templates:login/en: the TemplateId is required")]
    [InlineData("TemplateParameters:1", "cod", "TemplateParameters:1: must be one of code, minutes, amount, currency, payee")]
    [InlineData("ReceiptToken", "short", "ReceiptToken: must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'")]
    [InlineData("ReceiptToken", "0123456789abcdef/", "ReceiptToken: must be at least 16 characters of A-Z, a-z, 0-9, '-', '_', '.', '~'")]
    public void Bind_InvalidValue_ProblemNamesTheFullKey(string key, string value, string expected)
    {
        var settings = With((key, value));
        if (key.StartsWith("TemplateParameters:1", StringComparison.Ordinal))
        {
            settings[$"{Section}:TemplateParameters:0"] = "code";
        }

        var (_, problems) = Bind(settings);

        Assert.Equal($"{Section}:{expected}", Assert.Single(problems));
    }

    [Fact]
    public void Bind_Empty_EveryRequiredKeyReported()
    {
        var (_, problems) = Bind(new Dictionary<string, string?> { [$"{Section}:Type"] = "tencent" });

        Assert.Equal(
            [$"{Section}:SecretId: required", $"{Section}:SecretKey: required", $"{Section}:SmsSdkAppId: required: the SMS application's SdkAppId, digits (e.g. 1400006666)", $"{Section}:Templates: map at least one template (\"login/en\" or \"login\") to its TemplateId"],
            problems);
    }

    [Fact]
    public void CatalogBuild_ProductionWithThisProvider_NoErrors()
    {
        var (settings, errors) = DeliveryCatalog.Build(new ConfigurationBuilder().AddInMemoryCollection(Valid).Build(), outsideDevelopment: true, DeliveryProviderTypes.All);

        Assert.Empty(errors);
        Assert.Equal("tencent", settings!.Providers[Section.Split(':')[^1]].Kind.Type);
    }

    [Fact]
    public void CatalogBuild_MisspelledKey_IsReported()
    {
        var (_, errors) = DeliveryCatalog.Build(new ConfigurationBuilder().AddInMemoryCollection(With(("SecretKy", "x"))).Build(), outsideDevelopment: true, DeliveryProviderTypes.All);

        Assert.Contains($"{Section}:SecretKy: not a setting of a tencent provider", errors);
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

    private static (TencentOptions Options, List<string> Problems) Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var problems = new List<string>();
        var options = (TencentOptions)new TencentProviderType().Bind(configuration.GetSection(Section), problems);
        return (options, problems);
    }
}
