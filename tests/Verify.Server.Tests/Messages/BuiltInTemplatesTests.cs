using Verify.Delivery.Sms;
using Verify.Engine.Messages;
using Xunit;

namespace Verify.Server.Tests.Messages;

public sealed class BuiltInTemplatesTests
{
    private const string LongestBrand = "Northwind Traders Co";

    public static TheoryData<string, int> PurposesAndCodeLengths()
    {
        var data = new TheoryData<string, int>();
        foreach (var purpose in BuiltInTemplates.All.Keys)
        {
            for (var length = 6; length <= 10; length++)
            {
                data.Add(purpose, length);
            }
        }

        return data;
    }

    public static TheoryData<string> Purposes() => new(BuiltInTemplates.All.Keys);

    [Theory]
    [MemberData(nameof(PurposesAndCodeLengths))]
    public void Render_EnglishWithLongestValuesAndBrand_FitsOneGsm7Sms(string purpose, int codeLength)
    {
        var message = Render(LongestBrand, purpose, "en", codeLength);

        Assert.Equal(SmsCharset.Gsm7, message.Segments.Charset);
        Assert.Equal(1, message.Segments.Segments);
    }

    [Theory]
    [MemberData(nameof(PurposesAndCodeLengths))]
    public void Render_ChineseWithLongestValuesAndDefaultBrand_FitsOneSms(string purpose, int codeLength)
    {
        var message = Render("Verify", purpose, "zh-CN", codeLength);

        Assert.Equal(SmsCharset.Ucs2, message.Segments.Charset);
        Assert.Equal(1, message.Segments.Segments);
    }

    [Theory]
    [InlineData("login")]
    [InlineData("signup")]
    [InlineData("*")]
    public void Render_ChineseNonPaymentWithLongestBrandAndCode_FitsOneSms(string purpose)
    {
        Assert.Equal(1, Render(LongestBrand, purpose, "zh-CN", 10).Segments.Segments);
    }

    [Fact]
    public void Render_ChinesePaymentWithLongestBrand_NeedsTwoSmsAsDocumented()
    {
        Assert.Equal(2, Render(LongestBrand, "payment", "zh-CN", 6).Segments.Segments);
    }

    [Fact]
    public void FindMultiSegmentTemplates_BuiltInsWithDefaultBrand_ReportsNone()
    {
        Assert.Empty(new MessageTemplateCatalog(new MessageOptions()).FindMultiSegmentTemplates(maxCodeLength: 10));
    }

    [Theory]
    [MemberData(nameof(Purposes))]
    public void Render_EnglishBuiltIn_StartsWithBrandAndWarnsNotToShare(string purpose)
    {
        var message = Render("Verify", purpose, "en", 6);

        Assert.StartsWith("Verify: ", message.Text);
        Assert.Contains("not share", message.Text);
    }

    [Theory]
    [MemberData(nameof(Purposes))]
    public void Render_ChineseBuiltIn_StartsWithSignatureAndWarnsNotToShare(string purpose)
    {
        var message = Render("Verify", purpose, "zh-CN", 6);

        Assert.StartsWith("【Verify】", message.Text);
        Assert.Contains("勿泄露", message.Text);
    }

    [Fact]
    public void BuiltIns_AsConfiguration_PassTheValidator()
    {
        var options = new MessageOptions();
        foreach (var (purpose, locales) in BuiltInTemplates.All)
        {
            options.Templates[purpose] = locales.ToDictionary(l => l.Key, l => l.Value);
        }

        Assert.Empty(new MessageOptionsValidator().Validate(options).Errors);
    }

    private static RenderedMessage Render(string brand, string purpose, string locale, int codeLength) =>
        new MessageTemplateCatalog(new MessageOptions { Brand = brand }).Render(
            purpose,
            locale,
            new MessageParameters(
                new string('7', codeLength),
                int.Parse(MessageTemplateCatalog.WorstCaseMinutes, System.Globalization.CultureInfo.InvariantCulture),
                MessageTemplateCatalog.WorstCaseAmount,
                MessageTemplateCatalog.WorstCaseCurrency,
                new string('P', MessageTemplateCatalog.WorstCasePayeeLength)));
}
