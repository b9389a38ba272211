using Verify.Delivery.Providers.Vonage;

namespace Verify.Server.Tests.Delivery.Providers.Vonage;

/// <summary>
/// Vonage's signature. Vonage's documentation ("Signing Messages") describes the algorithm but publishes
/// no worked example, so the vectors here are the fixed ones in Vonage's own .NET SDK tests
/// (Vonage/vonage-dotnet-sdk, Nexmo.Api.Test.Unit, TestGenerateSignature* over an inbound-SMS webhook).
/// </summary>
public sealed class VonageSignatureTests
{
    private const string Secret = "2zzXDyLUAEdT8rTcKqJuOwgPmRYBDAu4jXDi0GmoARevPdOZ1R";

    private static readonly Dictionary<string, string> Webhook = new()
    {
        ["msisdn"] = "447700900001",
        ["to"] = "447700900000",
        ["messageId"] = "0A0000000123ABCD1",
        ["text"] = "Hello world",
        ["type"] = "text",
        ["keyword"] = "HELLO",
        ["message-timestamp"] = "2020-01-01T12:00:00.000+00:00",
        ["timestamp"] = "1578787200",
        ["nonce"] = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        ["concat"] = "true",
        ["concat-ref"] = "1",
        ["concat-total"] = "3",
        ["concat-part"] = "2",
        ["data"] = "abc123",
        ["udh"] = "abc123",
        ["sig"] = "12345",
    };

    [Theory]
    [InlineData("md5hash", "666c2c1a3fe7d621ad10456c4531e702")]
    [InlineData("md5", "D96F3D3BC11D36392F95ABB03F382EB2")]
    [InlineData("sha1", "8C5FF7362BA6F63FDF74C5C2B35ACBE5BF563477")]
    [InlineData("sha256", "B5FE66C4FE808C191B27D0AFC56918B5CC1FDC4784B82528C1D0537BA8A57192")]
    [InlineData("sha512", "AB1630493820A5DE881333F3320E2755212D3CF96B5E20158229B19928B380205043230F00F2E5FAE8FD4CEE8F7FD2CEF364C03086A00FF2F3644B05561CC232")]
    public void Compute_VonageSdkVector_GivesTheSdksSignature(string methodName, string expected)
    {
        Assert.True(VonageSignature.TryParseMethod(methodName, out var method));

        Assert.Equal(expected, VonageSignature.Compute(Secret, method, Webhook));
    }

    [Theory]
    [InlineData("md5hash", "666c2c1a3fe7d621ad10456c4531e702")]
    [InlineData("md5hash", "666C2C1A3FE7D621AD10456C4531E702")]
    [InlineData("sha256", "B5FE66C4FE808C191B27D0AFC56918B5CC1FDC4784B82528C1D0537BA8A57192")]
    [InlineData("sha256", "b5fe66c4fe808c191b27d0afc56918b5cc1fdc4784b82528c1d0537ba8a57192")]
    public void IsValid_SignatureInEitherCase_IsAccepted(string methodName, string signature)
    {
        VonageSignature.TryParseMethod(methodName, out var method);

        Assert.True(VonageSignature.IsValid(Secret, method, Webhook, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("B5FE66C4FE808C191B27D0AFC56918B5CC1FDC4784B82528C1D0537BA8A5719")]
    [InlineData("B5FE66C4FE808C191B27D0AFC56918B5CC1FDC4784B82528C1D0537BA8A57193")]
    [InlineData("not hex at all, but of an even length..")]
    public void IsValid_MissingOrWrongSignature_IsRefused(string? signature)
    {
        Assert.False(VonageSignature.IsValid(Secret, VonageSignatureMethod.Sha256, Webhook, signature));
    }

    [Fact]
    public void IsValid_TamperedField_IsRefused()
    {
        var tampered = new Dictionary<string, string>(Webhook) { ["messageId"] = "0A0000000123ABCD2" };

        Assert.False(VonageSignature.IsValid(Secret, VonageSignatureMethod.Sha256, tampered, "B5FE66C4FE808C191B27D0AFC56918B5CC1FDC4784B82528C1D0537BA8A57192"));
    }

    [Fact]
    public void IsValid_AnotherMethod_IsRefused() =>
        Assert.False(VonageSignature.IsValid(Secret, VonageSignatureMethod.Sha1, Webhook, "B5FE66C4FE808C191B27D0AFC56918B5CC1FDC4784B82528C1D0537BA8A57192"));

    [Fact]
    public void SignedString_SortsByNameSkipsSigAndReplacesAmpersandAndEquals() =>
        Assert.Equal(
            "&a=x_y_z&b=1",
            VonageSignature.SignedString([new("b", "1"), new("sig", "ignored"), new("a", "x&y=z")]));

    [Theory]
    [InlineData("md5hash")]
    [InlineData("MD5HASH")]
    [InlineData("sha512")]
    public void TryParseMethod_KnownNames_AreAccepted(string name) => Assert.True(VonageSignature.TryParseMethod(name, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("sha384")]
    [InlineData("hmac-sha256")]
    public void TryParseMethod_OtherNames_AreRefused(string? name) => Assert.False(VonageSignature.TryParseMethod(name, out _));
}
