using System.Xml.Linq;
using Verify.Delivery.Providers.Twilio;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Twilio;

/// <summary>The TwiML of a voice code: parsed as XML, it says the code digit by digit, twice, and nothing else.</summary>
public sealed class TwilioVoiceScriptTests
{
    [Fact]
    public void Build_English_SaysTheBrandAndTheCodeDigitByDigitTwice()
    {
        var twiml = XElement.Parse(TwilioVoiceScript.Build(SmsMessages.Login(code: "493817"))!);

        Assert.Equal("Response", twiml.Name.LocalName);
        Assert.Equal(["Say", "Pause", "Say"], twiml.Elements().Select(e => e.Name.LocalName));
        var says = twiml.Elements("Say").ToList();
        Assert.Equal("Your Verify code is 4, 9, 3, 8, 1, 7.", says[0].Value);
        Assert.Equal("Again, your code is 4, 9, 3, 8, 1, 7.", says[1].Value);
        Assert.All(says, say => Assert.Equal("en-US", say.Attribute("language")?.Value));
        Assert.Equal("1", twiml.Element("Pause")!.Attribute("length")?.Value);
    }

    [Fact]
    public void Build_SpeaksNothingButTheSentenceBrandAndCode()
    {
        var message = SmsMessages.Login(code: "493817");

        var script = TwilioVoiceScript.Build(message)!;

        var text = string.Concat(XElement.Parse(script).DescendantNodes().OfType<XText>().Select(t => t.Value));
        var digitsSpoken = new string(text.Where(char.IsAsciiDigit).ToArray());
        Assert.Equal("493817493817", digitsSpoken);
        Assert.DoesNotContain(message.Phone.NationalNumber, script, StringComparison.Ordinal);
        Assert.DoesNotContain(message.VerificationId, script, StringComparison.Ordinal);
        Assert.DoesNotContain(message.Text, script, StringComparison.Ordinal);
        Assert.DoesNotContain(message.SendId, script, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BrandWithMarkup_IsEscapedNotInjected()
    {
        var message = SmsMessages.Login() with { Signature = "A&B <Play>http://x</Play> \"Bank\"" };

        var twiml = XElement.Parse(TwilioVoiceScript.Build(message)!);

        Assert.Empty(twiml.Descendants("Play"));
        Assert.Equal("Your A&B <Play>http://x</Play> \"Bank\" code is 1, 2, 3, 4, 5, 6.", twiml.Elements("Say").First().Value);
    }

    [Fact]
    public void Build_BrandWithControlCharacters_StillGivesValidXml()
    {
        var message = SmsMessages.Login() with { Signature = "Ban\u0001k" };

        var twiml = XElement.Parse(TwilioVoiceScript.Build(message)!);

        Assert.StartsWith("Your Bank code is", twiml.Elements("Say").First().Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AlphanumericCode_SpeaksEachCharacter()
    {
        var twiml = XElement.Parse(TwilioVoiceScript.Build(SmsMessages.Login(code: "K7Q2"))!);

        Assert.EndsWith("K, 7, Q, 2.", twiml.Elements("Say").First().Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoCode_IsNull()
    {
        var message = SmsMessages.Login() with { TemplateParameters = new Dictionary<string, string> { ["minutes"] = "5" } };

        Assert.Null(TwilioVoiceScript.Build(message));
    }

    [Theory]
    [InlineData("en", "en-US")]
    [InlineData("en-US", "en-US")]
    [InlineData("en-GB", "en-GB")]
    [InlineData("es", "es-ES")]
    [InlineData("es-MX", "es-ES")]
    [InlineData("fr-CA", "fr-FR")]
    [InlineData("de", "de-DE")]
    [InlineData("zh-CN", "en-US")]
    [InlineData("ja", "en-US")]
    [InlineData("", "en-US")]
    public void LanguageFor_Locale_IsALanguageTheDefaultVoiceSpeaks(string locale, string expected) =>
        Assert.Equal(expected, TwilioVoiceScript.LanguageFor(locale));

    [Fact]
    public void Build_French_SaysTheFrenchSentence()
    {
        var twiml = XElement.Parse(TwilioVoiceScript.Build(SmsMessages.Login() with { Locale = "fr" })!);

        Assert.Equal("Votre code Verify est 1, 2, 3, 4, 5, 6.", twiml.Elements("Say").First().Value);
        Assert.Equal("fr-FR", twiml.Elements("Say").First().Attribute("language")?.Value);
    }

    [Fact]
    public void Build_UnsupportedLocale_SaysTheEnglishSentence()
    {
        var twiml = XElement.Parse(TwilioVoiceScript.Build(SmsMessages.Login() with { Locale = "zh-CN" })!);

        Assert.Equal("Your Verify code is 1, 2, 3, 4, 5, 6.", twiml.Elements("Say").First().Value);
    }
}
