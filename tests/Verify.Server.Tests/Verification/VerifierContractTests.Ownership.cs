using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>A verification belongs to the caller that started it: to any other it does not exist.</summary>
public abstract partial class VerifierContractTests
{
    private const string Owner = "0a0b0c0d0e0f";
    private const string OtherCaller = "f0e0d0c0b0a0";

    [Fact]
    public async Task Ownership_OtherCallerChecksByIdOrNumber_NotFoundAndNothingCounted()
    {
        var record = await Fixture.StartedAsync(Fixture.Start() with { Owner = Owner });
        var code = Fixture.Capture.LastCode;

        var byId = await Fixture.Verifier.CheckAsync(new CheckInput(record.Id, null, null, code, null, null) { Owner = OtherCaller }, CancellationToken.None);
        var byNumber = await Fixture.Verifier.CheckAsync(
            new CheckInput(null, VerifierFixture.Phone(), "login", VerifierFixture.WrongCode(code), null, null) { Owner = OtherCaller }, CancellationToken.None);
        var owners = await Fixture.Verifier.GetAsync(record.Id, Owner, CancellationToken.None);
        var ownersCheck = await Fixture.Verifier.CheckAsync(new CheckInput(record.Id, null, null, code, null, null) { Owner = Owner }, CancellationToken.None);

        Assert.IsType<CheckOutcome.NotFound>(byId);
        Assert.IsType<CheckOutcome.NotFound>(byNumber);
        Assert.Equal(5, owners!.AttemptsRemaining);
        Assert.True(Assert.IsType<CheckOutcome.Checked>(ownersCheck).Valid);
    }

    [Fact]
    public async Task Ownership_OtherCallerGetsOrCancels_NotFoundAndTheVerificationStays()
    {
        var record = await Fixture.StartedAsync(Fixture.Start() with { Owner = Owner });

        var got = await Fixture.Verifier.GetAsync(record.Id, OtherCaller, CancellationToken.None);
        var canceled = await Fixture.Verifier.CancelAsync(record.Id, OtherCaller, CancellationToken.None);
        var stillThere = await Fixture.Verifier.GetAsync(record.Id, Owner, CancellationToken.None);

        Assert.Null(got);
        Assert.IsType<CancelOutcome.NotFound>(canceled);
        Assert.Equal(VerificationState.Pending, stillThere!.Status);
    }

    [Fact]
    public async Task Ownership_OtherCallerStartsForTheSameNumber_GetsItsOwnAndTheFirstStaysPendingWithItsCode()
    {
        var first = await Fixture.StartedAsync(Fixture.Start() with { Owner = Owner });
        var firstCode = Fixture.Capture.LastCode;
        Assert.IsType<CheckOutcome.Checked>(await Fixture.Verifier.CheckAsync(
            new CheckInput(first.Id, null, null, VerifierFixture.WrongCode(firstCode), null, null) { Owner = Owner }, CancellationToken.None));

        // Within the first caller's cooldown: the cooldown is the first caller's, not the number's.
        var second = await Fixture.StartedAsync(Fixture.Start() with { Owner = OtherCaller });
        var secondCode = Fixture.Capture.LastCode;
        var firstByNumber = await Fixture.Verifier.CheckAsync(
            new CheckInput(null, VerifierFixture.Phone(), "login", firstCode, null, null) { Owner = Owner }, CancellationToken.None);
        var secondByNumber = await Fixture.Verifier.CheckAsync(
            new CheckInput(null, VerifierFixture.Phone(), "login", secondCode, null, null) { Owner = OtherCaller }, CancellationToken.None);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal((1, 5), (second.SendCount, second.AttemptsRemaining));
        Assert.Equal((true, first.Id), (Assert.IsType<CheckOutcome.Checked>(firstByNumber).Valid, ((CheckOutcome.Checked)firstByNumber).Record.Id));
        Assert.Equal((true, second.Id), (Assert.IsType<CheckOutcome.Checked>(secondByNumber).Valid, ((CheckOutcome.Checked)secondByNumber).Record.Id));
    }

    [Fact]
    public async Task Ownership_OtherCallersWrongCodes_LockOnlyThatCallersUse()
    {
        var fixture = NewFixture(new Dictionary<string, string?> { ["Verify:Policies:login:Lockout:MaxFailures"] = "3" });
        var mine = await fixture.StartedAsync(fixture.Start() with { Owner = Owner });
        var myCode = fixture.Capture.LastCode;
        var theirs = await fixture.StartedAsync(fixture.Start() with { Owner = OtherCaller });
        for (var i = 0; i < 3; i++)
        {
            await fixture.Verifier.CheckAsync(new CheckInput(theirs.Id, null, null, VerifierFixture.WrongCode(fixture.Capture.LastCode), null, null) { Owner = OtherCaller }, CancellationToken.None);
        }

        var theirStart = await fixture.Verifier.StartAsync(fixture.Start() with { Owner = OtherCaller }, CancellationToken.None);
        var myCheck = await fixture.Verifier.CheckAsync(new CheckInput(mine.Id, null, null, myCode, null, null) { Owner = Owner }, CancellationToken.None);

        Assert.Equal("phone:lockout", Assert.IsType<StartOutcome.Throttled>(theirStart).Subject);
        Assert.True(Assert.IsType<CheckOutcome.Checked>(myCheck).Valid);
    }

    [Fact]
    public async Task Ownership_SendWindowsOfANumber_AreSharedByEveryCaller()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:PhoneLimits:0:Window"] = "01:00:00",
            ["Verify:Policies:login:PhoneLimits:0:Max"] = "2",
        });
        await fixture.StartedAsync(fixture.Start() with { Owner = Owner });
        await fixture.StartedAsync(fixture.Start() with { Owner = OtherCaller });

        var third = await fixture.Verifier.StartAsync(fixture.Start() with { Owner = "abcdefabcdef" }, CancellationToken.None);

        Assert.Equal("phone:1h", Assert.IsType<StartOutcome.Throttled>(third).Subject);
        Assert.Equal(2, fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Ownership_SameIdempotencyKeyFromOtherCaller_IsNotAReplay()
    {
        await Fixture.StartedAsync(Fixture.Start(idempotencyKey: "order-7") with { Owner = Owner });
        Fixture.Time.Advance(TimeSpan.FromSeconds(61));

        var other = await Fixture.Verifier.StartAsync(Fixture.Start(idempotencyKey: "order-7") with { Owner = OtherCaller }, CancellationToken.None);

        Assert.False(Assert.IsType<StartOutcome.Started>(other).Replayed);
        Assert.Equal(2, Fixture.Capture.Messages.Count);
    }
}
