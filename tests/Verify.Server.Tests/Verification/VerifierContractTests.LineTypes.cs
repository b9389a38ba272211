using Verify.Delivery;
using Verify.Delivery.Phones;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>Line types per policy and channel: a refused type is refused like a refused country, before anything is counted.</summary>
public abstract partial class VerifierContractTests
{
    private const string GbLandline = "+441212345678";
    private const string GbPremiumRate = "+449012345678";

    [Fact]
    public async Task LineType_NotAllowedForTheChannel_RefusedBeforeAnyCounterStoresAndSendsNothing()
    {
        var fixture = NewFixture(Settings(
            ("Verify:Limits:Number:0:Window", "01:00:00"), ("Verify:Limits:Number:0:Max", "1"),
            ("Verify:Limits:Global:0:Window", "01:00:00"), ("Verify:Limits:Global:0:Max", "1")));
        fixture.Capture.ServesVoice = true;

        var text = await fixture.Verifier.StartAsync(fixture.Start(phone: GbLandline, clientIp: "198.51.100.7"), CancellationToken.None);

        Assert.Equal(PhoneLineType.FixedLine, Assert.IsType<StartOutcome.LineTypeNotAllowed>(text).LineType);
        Assert.Empty(fixture.Capture.Messages);
        Assert.False(await fixture.HasLiveVerificationAsync(GbLandline));

        // Nothing was counted: the one send the number and global limits allow, and no cooldown, are left for a call.
        var call = await fixture.StartedAsync(fixture.Start(phone: GbLandline, clientIp: "198.51.100.7") with { Channel = DeliveryChannel.Voice });

        Assert.Equal(1, call.SendCount);
        Assert.Equal(DeliveryChannel.Voice, Assert.Single(fixture.Capture.Messages).Channel);
    }

    [Fact]
    public async Task LineType_PremiumRate_RefusedByDefaultAndSentWhereThePolicyAllowsIt()
    {
        var fixture = NewFixture(Settings(("Verify:Policies:signup:LineTypes:Sms:0", "PremiumRate")));

        var login = await fixture.Verifier.StartAsync(fixture.Start("login", phone: GbPremiumRate), CancellationToken.None);
        await fixture.StartedAsync(fixture.Start("signup", phone: GbPremiumRate));

        var refused = Assert.IsType<StartOutcome.LineTypeNotAllowed>(login);
        Assert.Equal(PhoneLineType.PremiumRate, refused.LineType);
        Assert.DoesNotContain("9012345678", refused.Reason, StringComparison.Ordinal);
        Assert.Equal("signup", Assert.Single(fixture.Capture.Messages).Purpose);
    }
}
