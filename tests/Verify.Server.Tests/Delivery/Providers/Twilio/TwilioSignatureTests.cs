using Verify.Delivery.Providers.Twilio;

namespace Verify.Server.Tests.Delivery.Providers.Twilio;

/// <summary>X-Twilio-Signature against the worked example Twilio publishes for request validation.</summary>
public sealed class TwilioSignatureTests
{
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    // twilio.com/docs/usage/security#validating-requests (the current page): Caller and From +12349013030.
    private static readonly KeyValuePair<string, string>[] CurrentExample =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+12349013030"),
        new("Digits", "1234"),
        new("From", "+12349013030"),
        new("To", "+18005551212"),
    ];

    // The same example as twilio-php's "Validate Incoming Requests" guide printed it (Caller and From +14158675309).
    private static readonly KeyValuePair<string, string>[] EarlierExample =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void Compute_TwiliosDocumentedExample_GivesTheDocumentedSignature() =>
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSignature.Compute(AuthToken, Url, CurrentExample));

    [Fact]
    public void Compute_TwilioPhpGuideExample_GivesItsDocumentedSignature() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSignature.Compute(AuthToken, Url, EarlierExample));

    [Fact]
    public void Compute_ParametersInAnyOrder_SignsThemSortedByName() =>
        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSignature.Compute(AuthToken, Url, CurrentExample.Reverse()));

    [Fact]
    public void IsValid_DocumentedSignature_IsAccepted() =>
        Assert.True(TwilioSignature.IsValid(AuthToken, Url, CurrentExample, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0/KCTR6DLpKmkAf8muzZqo1nDgQ")]
    [InlineData("0/kctr6dlpkmkaf8muzzqo1ndgq=")]
    public void IsValid_MissingOrAlteredSignature_IsRefused(string? signature) =>
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, CurrentExample, signature));

    [Fact]
    public void IsValid_AnotherUrl_IsRefused() =>
        Assert.False(TwilioSignature.IsValid(AuthToken, "https://mycompany.com/myapp.php?foo=1&bar=3", CurrentExample, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));

    [Fact]
    public void IsValid_ATamperedParameter_IsRefused()
    {
        var tampered = CurrentExample.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);

        Assert.False(TwilioSignature.IsValid(AuthToken, Url, tampered, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    [Fact]
    public void IsValid_AnotherAuthToken_IsRefused() =>
        Assert.False(TwilioSignature.IsValid("54321", Url, CurrentExample, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}
