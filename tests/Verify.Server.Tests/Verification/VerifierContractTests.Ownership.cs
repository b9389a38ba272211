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
    public async Task Ownership_OtherCallerStartsForTheSameNumber_ReplacesItWithItsOwnAndKeepsTheFailures()
    {
        var first = await Fixture.StartedAsync(Fixture.Start() with { Owner = Owner });
        var firstCode = Fixture.Capture.LastCode;
        Assert.IsType<CheckOutcome.Checked>(await Fixture.Verifier.CheckAsync(
            new CheckInput(first.Id, null, null, VerifierFixture.WrongCode(firstCode), null, null) { Owner = Owner }, CancellationToken.None));
        Fixture.Time.Advance(TimeSpan.FromSeconds(61));

        var second = await Fixture.StartedAsync(Fixture.Start() with { Owner = OtherCaller });
        var oldCodeByOwner = await Fixture.Verifier.CheckAsync(new CheckInput(first.Id, null, null, firstCode, null, null) { Owner = Owner }, CancellationToken.None);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1, second.SendCount);
        Assert.Equal(4, second.AttemptsRemaining);
        Assert.IsType<CheckOutcome.NotFound>(oldCodeByOwner);
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
