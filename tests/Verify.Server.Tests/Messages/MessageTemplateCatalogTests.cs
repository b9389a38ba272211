using Verify.Delivery.Sms;
using Verify.Engine.Messages;
using Xunit;

namespace Verify.Server.Tests.Messages;

public sealed class MessageTemplateCatalogTests
{
    private static readonly MessageParameters Login = new("483920", 5);
    private static readonly MessageParameters Payment = new("483920", 5, "25.00", "EUR", "ACME Shop");

    [Fact]
    public void Render_PaymentInEnglish_FillsEveryPlaceholder()
    {
        var message = new MessageTemplateCatalog(new MessageOptions { Brand = "Bank" }).Render("payment", "en", Payment);

        Assert.StartsWith("Bank: ", message.Text);
        foreach (var value in new[] { "483920", "25.00", "EUR", "ACME Shop", "5 min" })
        {
            Assert.Contains(value, message.Text);
        }

        Assert.DoesNotContain('{', message.Text);
        Assert.DoesNotContain('}', message.Text);
    }

    [Fact]
    public void Render_PaymentInChinese_FillsEveryPlaceholderAfterSignature()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("payment", "zh-CN", Payment);

        Assert.StartsWith("【Verify】", message.Text);
        Assert.Contains("向ACME Shop支付25.00EUR", message.Text);
        Assert.Contains("483920", message.Text);
        Assert.DoesNotContain('{', message.Text);
    }

    [Fact]
    public void Render_Payment_ParametersHoldTheInsertedValues()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("payment", "en", Payment);

        Assert.Equal("payment/en", message.TemplateId);
        Assert.Equal("en", message.Locale);
        Assert.Equal("483920", message.Parameters["code"]);
        Assert.Equal("5", message.Parameters["minutes"]);
        Assert.Equal("Verify", message.Parameters["brand"]);
        Assert.Equal("25.00", message.Parameters["amount"]);
        Assert.Equal("EUR", message.Parameters["currency"]);
        Assert.Equal("ACME Shop", message.Parameters["payee"]);
    }

    [Fact]
    public void Render_Login_ParametersHoldOnlyWhatTheTemplateShows()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("login", "en", Payment);

        Assert.Equal(["brand", "code", "minutes"], message.Parameters.Keys.Order());
    }

    [Fact]
    public void Render_Text_SegmentsDescribeTheRenderedText()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("login", "zh-CN", Login);

        Assert.Equal(SmsEncoding.Analyze(message.Text), message.Segments);
        Assert.Equal(SmsCharset.Ucs2, message.Segments.Charset);
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN", "en")]
    [InlineData("en-US", "en")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-cn", "zh-CN")]
    [InlineData("zh_CN", "zh-CN")]
    [InlineData("zh-Hans-CN", "zh-CN")]
    [InlineData("zh-Hans", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-SG", "zh-CN")]
    [InlineData("zh-TW", "en")]
    [InlineData("zh-Hant-HK", "en")]
    [InlineData("fr-FR", "en")]
    [InlineData("en-US-u-ca-gregory", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    [InlineData("not a locale!", "en")]
    public void Render_BuiltInLocales_FallBackToClosestReadable(string? requested, string expected)
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("login", requested, Login);

        Assert.Equal(expected, message.Locale);
        Assert.Equal($"login/{expected}", message.TemplateId);
    }

    [Theory]
    [InlineData("zh-TW", "zh-TW")]
    [InlineData("zh-Hant-TW", "zh-TW")]
    [InlineData("zh-HK", "zh-TW")]
    [InlineData("zh-Hant", "zh-TW")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    public void Render_TraditionalChineseConfigured_ServesTraditionalAndSimplifiedReadersApart(string requested, string expected)
    {
        var catalog = Catalog(("login", "zh-tw", "【{brand}】您的登入驗證碼為{code}，{minutes}分鐘內有效，請勿洩露。"));

        Assert.Equal(expected, catalog.Render("login", requested, Login).Locale);
    }

    [Fact]
    public void Render_TraditionalReaderWithSimplifiedDefault_GetsSimplified()
    {
        var catalog = new MessageTemplateCatalog(new MessageOptions { DefaultLocale = "zh-CN" });

        Assert.Equal("zh-CN", catalog.Render("login", "zh-TW", Login).Locale);
        Assert.Equal("zh-CN", catalog.Render("login", "fr", Login).Locale);
    }

    [Theory]
    [InlineData("pt-PT", "pt-BR")]
    [InlineData("pt", "pt-BR")]
    [InlineData("en-GB", "en-GB")]
    [InlineData("en-AU", "en")]
    public void Render_ConfiguredRegionalLocales_PreferExactThenLanguageThenSibling(string requested, string expected)
    {
        var catalog = Catalog(
            ("login", "pt-BR", "{brand}: {code} é seu código de acesso. Não compartilhe."),
            ("login", "en-GB", "{brand}: {code} is your login code. Do not share it."));

        Assert.Equal(expected, catalog.Render("login", requested, Login).Locale);
    }

    [Fact]
    public void Render_UnknownPurpose_UsesAnyPurposeTemplate()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("password-reset", "en", Login);

        Assert.Equal("*/en", message.TemplateId);
        Assert.Contains("483920 is your verification code", message.Text);
    }

    [Fact]
    public void Render_UnknownPurposeWithAmount_UsesPaymentTemplateSoAmountAndPayeeAreShown()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("transfer", "zh-CN", Payment);

        Assert.Equal("payment/zh-CN", message.TemplateId);
        Assert.Contains("ACME Shop", message.Text);
    }

    [Fact]
    public void Render_PurposeInOtherCase_FindsItsTemplate()
    {
        var message = new MessageTemplateCatalog(new MessageOptions()).Render("SignUp", "en", Login);

        Assert.Equal("signup/en", message.TemplateId);
    }

    [Fact]
    public void Render_PurposeWithoutReadersLocale_PrefersPurposeInDefaultLocaleOverTranslatedFallback()
    {
        var catalog = Catalog(("*", "fr", "{brand} : {code} est votre code. Ne le partagez pas."));

        Assert.Equal("login/en", catalog.Render("login", "fr", Login).TemplateId);
        Assert.Equal("*/fr", catalog.Render("password-reset", "fr", Login).TemplateId);
    }

    [Fact]
    public void Render_ConfiguredTemplate_OverridesBuiltInEntryOnly()
    {
        var catalog = Catalog(("LOGIN", "EN", "{code} - {brand} sign-in. Keep it secret."));

        Assert.Equal("483920 - Verify sign-in. Keep it secret.", catalog.Render("login", "en", Login).Text);
        Assert.Equal("login/en", catalog.Render("login", "en", Login).TemplateId);
        Assert.StartsWith("【Verify】", catalog.Render("login", "zh-CN", Login).Text);
    }

    [Fact]
    public void Render_PayeeWithLineBreaksAndControls_IsKeptOnOneLineWithoutThem()
    {
        var parameters = Payment with { Payee = "ACME\r\nYour account is locked\u0007, call \u202Emoc.kcah\u202C" };

        var message = new MessageTemplateCatalog(new MessageOptions()).Render("payment", "en", parameters);

        Assert.Contains("to ACME Your account is locked, call moc.kcah.", message.Text);
        Assert.DoesNotContain(message.Text, c => char.IsControl(c) || c is '\u202E' or '\u202C');
        Assert.Equal("ACME Your account is locked, call moc.kcah", message.Parameters["payee"]);
    }

    [Fact]
    public void Render_PaymentWithoutPayee_Throws()
    {
        var catalog = new MessageTemplateCatalog(new MessageOptions());

        var error = Assert.Throws<ArgumentException>(() => catalog.Render("payment", "en", Payment with { Payee = null }));
        Assert.Contains("{payee}", error.Message);
    }

    [Fact]
    public void FindMultiSegmentTemplates_LongConfiguredTemplate_IsReported()
    {
        var longText = "{brand}: {code} is your login code. " + string.Concat(Enumerable.Repeat("Never share it with anyone. ", 5));
        var catalog = Catalog(("login", "en", longText));

        var found = Assert.Single(catalog.FindMultiSegmentTemplates(maxCodeLength: 6));

        Assert.Equal(("login", "en"), (found.Purpose, found.Locale));
        Assert.Equal(SmsCharset.Gsm7, found.Segments.Charset);
        Assert.Equal(2, found.Segments.Segments);
    }

    [Fact]
    public void FindMultiSegmentTemplates_BrandOutsideGsm7_ReportsLongEnglishTextsAsUcs2()
    {
        var catalog = new MessageTemplateCatalog(new MessageOptions { Brand = "Café Noël" });

        var found = catalog.FindMultiSegmentTemplates(maxCodeLength: 6);

        Assert.Contains(found, f => f is { Purpose: "payment", Locale: "en", Segments.Charset: SmsCharset.Ucs2 });
        Assert.DoesNotContain(found, f => f.Locale == "zh-CN" && f.Purpose != "payment");
    }

    private static MessageTemplateCatalog Catalog(params (string Purpose, string Locale, string Text)[] templates)
    {
        var options = new MessageOptions();
        foreach (var (purpose, locale, text) in templates)
        {
            if (!options.Templates.TryGetValue(purpose, out var locales))
            {
                options.Templates[purpose] = locales = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }

            locales[locale] = text;
        }

        Assert.Empty(new MessageOptionsValidator().Validate(options).Errors);
        return new MessageTemplateCatalog(options);
    }
}
