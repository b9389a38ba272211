using Microsoft.Extensions.Configuration;
using Verify.Engine.Messages;
using Xunit;

namespace Verify.Server.Tests.Messages;

public sealed class MessageOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_HasNoErrors()
    {
        Assert.Empty(new MessageOptionsValidator().Validate(new MessageOptions()).Errors);
    }

    [Fact]
    public void Validate_UnknownPlaceholder_NamesTheTemplateKey()
    {
        var errors = Errors(("Verify:Messages:Templates:login:en", "{brand}: {cod} is your code {code}"));

        var error = Assert.Single(errors);
        Assert.StartsWith("Verify:Messages:Templates:login:en: unknown placeholder {cod}", error);
    }

    [Fact]
    public void Validate_MissingCode_NamesTheTemplateKey()
    {
        var errors = Errors(("Verify:Messages:Templates:signup:zh-CN", "【{brand}】请在{minutes}分钟内完成注册"));

        Assert.Equal(["Verify:Messages:Templates:signup:zh-CN: missing required placeholder {code}"], errors);
    }

    [Theory]
    [InlineData("en_US")]
    [InlineData("english")]
    [InlineData("zh-CN-x")]
    [InlineData("e")]
    public void Validate_LocaleKeyNotBcp47_NamesTheTemplateKey(string locale)
    {
        var errors = Errors(($"Verify:Messages:Templates:login:{locale}", "{code} is your code. Do not share it."));

        var error = Assert.Single(errors);
        Assert.StartsWith($"Verify:Messages:Templates:login:{locale}: locale \"{locale}\" must be a BCP 47 tag", error);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    [InlineData("zh-Hant-TW")]
    [InlineData("pt-br")]
    [InlineData("es-419")]
    public void Validate_LocaleKeyBcp47_IsAccepted(string locale)
    {
        Assert.Empty(Errors(($"Verify:Messages:Templates:login:{locale}", "{code} is your code. Do not share it.")));
    }

    [Fact]
    public void Validate_BrandTooLong_NamesTheBrandKey()
    {
        var errors = Errors(("Verify:Messages:Brand", new string('B', 21)));

        Assert.Equal(["Verify:Messages:Brand: must be 1 to 20 characters (is 21)"], errors);
    }

    [Theory]
    [InlineData("Ver\nify")]
    [InlineData(" Verify")]
    [InlineData("【Verify】")]
    public void Validate_BrandUnsafeInSignature_NamesTheBrandKey(string brand)
    {
        var error = Assert.Single(new MessageOptionsValidator().Validate(new MessageOptions { Brand = brand }).Errors);

        Assert.Equal("Verify:Messages:Brand", error.PropertyName);
        Assert.StartsWith("Verify:Messages:Brand: must not", error.ErrorMessage);
    }

    [Fact]
    public void Validate_UnbalancedBraces_ReportsEach()
    {
        var errors = Errors(("Verify:Messages:Templates:login:en", "{code} } is your code {brand"));

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("Verify:Messages:Templates:login:en: ", e));
    }

    [Fact]
    public void Validate_PaymentWithoutPayee_IsRejected()
    {
        var errors = Errors(("Verify:Messages:Templates:payment:en", "{brand}: {code} pays {amount} {currency}. Do not share it."));

        var error = Assert.Single(errors);
        Assert.StartsWith("Verify:Messages:Templates:payment:en: ", error);
        Assert.Contains("{payee}", error);
    }

    [Fact]
    public void Validate_AnyPurposeShowingAmount_IsRejected()
    {
        var errors = Errors(("Verify:Messages:Templates:*:en", "{code} for {amount}"));

        var error = Assert.Single(errors);
        Assert.StartsWith("Verify:Messages:Templates:*:en: {amount}", error);
    }

    [Fact]
    public void Validate_DefaultLocaleWithoutAnyPurposeTemplate_IsRejected()
    {
        var errors = Errors(("Verify:Messages:DefaultLocale", "de"));

        var error = Assert.Single(errors);
        Assert.StartsWith("Verify:Messages:DefaultLocale: ", error);
        Assert.Contains("Verify:Messages:Templates:*:de", error);
    }

    [Fact]
    public void Validate_DefaultLocaleWithAnyPurposeTemplate_IsAccepted()
    {
        Assert.Empty(Errors(
            ("Verify:Messages:DefaultLocale", "de"),
            ("Verify:Messages:Templates:*:de", "{brand}: {code} ist Ihr Code. Nicht weitergeben.")));
    }

    [Fact]
    public void Validate_BadPurposeKey_NamesIt()
    {
        var errors = Errors(("Verify:Messages:Templates:log in:en", "{code}"));

        Assert.StartsWith("Verify:Messages:Templates:log in: ", Assert.Single(errors));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var errors = Errors(
            ("Verify:Messages:Brand", ""),
            ("Verify:Messages:Templates:login:en", "{cod}"),
            ("Verify:Messages:Templates:login:zh_CN", "{code}"));

        Assert.Contains("Verify:Messages:Brand: must not be empty", errors);
        Assert.Contains(errors, e => e.StartsWith("Verify:Messages:Templates:login:en: unknown placeholder {cod}", StringComparison.Ordinal));
        Assert.Contains("Verify:Messages:Templates:login:en: missing required placeholder {code}", errors);
        Assert.Contains(errors, e => e.StartsWith("Verify:Messages:Templates:login:zh_CN: locale", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Failure_PropertyNameIsTheConfigurationKey()
    {
        var options = Bind(("Verify:Messages:Templates:login:en", "{cod}"));

        var failures = new MessageOptionsValidator().Validate(options).Errors;

        Assert.All(failures, f => Assert.Equal("Verify:Messages:Templates:login:en", f.PropertyName));
    }

    // Through the configuration binder, as the host reads the section.
    private static List<string> Errors(params (string Key, string Value)[] settings) =>
        new MessageOptionsValidator().Validate(Bind(settings)).Errors.Select(e => e.ErrorMessage).ToList();

    private static MessageOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return configuration.GetSection(MessageOptions.SectionName).Get<MessageOptions>() ?? new MessageOptions();
    }
}
