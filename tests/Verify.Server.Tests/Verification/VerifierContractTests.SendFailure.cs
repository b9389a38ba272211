using Verify.Engine.Codes;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Verify.Delivery;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>A provider that fails on cue: the send is refunded, so the user may retry at once.</summary>
public abstract partial class VerifierContractTests
{
    [Fact]
    public async Task SendFailure_SenderRefuses_AnswersSendFailedAndRefundsCooldownWindowsAndRecord()
    {
        var sender = Substitute.For<ISmsSender>();
        sender.CanServe(default!, default!, default).ReturnsForAnyArgs(true);
        sender.Name.Returns("flaky");
        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).Returns(SendResult.Failure("HTTP 503"));
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:PhoneLimits:0:Window"] = "01:00:00",
            ["Verify:Policies:login:PhoneLimits:0:Max"] = "1",
        }, sender);

        var failed = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);
        var liveAfterFailure = await fixture.HasLiveVerificationAsync("+8613812345678");
        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).Returns(SendResult.Success("m-1"));
        var retried = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);

        Assert.IsType<StartOutcome.SendFailed>(failed);
        Assert.False(liveAfterFailure);
        Assert.IsType<StartOutcome.Started>(retried);
    }

    [Fact]
    public async Task SendFailure_SenderThrows_IsASendFailureNotACrash()
    {
        var sender = Substitute.For<ISmsSender>();
        sender.CanServe(default!, default!, default).ReturnsForAnyArgs(true);
        sender.Name.Returns("broken");
        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("boom"));
        var fixture = NewFixture(sender: sender);

        var outcome = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);

        Assert.IsType<StartOutcome.SendFailed>(outcome);
        Assert.False(await fixture.HasLiveVerificationAsync("+8613812345678"));
    }

    [Fact]
    public async Task SendFailure_ResendRefused_ThePreviousCodeStillWorks()
    {
        var capture = new CapturingSmsSender();
        var sender = FlakySenderDeliveringTo(capture);
        var fixture = NewFixture(sender: sender);
        var first = await fixture.StartedAsync(fixture.Start());
        var firstCode = capture.LastCode;
        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).Returns(SendResult.Failure("HTTP 500"));
        var resend = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);
        var check = await fixture.CheckedAsync(first.Id, firstCode);

        Assert.IsType<StartOutcome.SendFailed>(resend);
        Assert.True(check.Valid);
        Assert.Equal(1, check.Record.SendCount);
    }

    [Fact]
    public async Task SendFailure_ResendRefusedAfterWrongCodesDuringTheSend_KeepsThoseWrongCodesCounted()
    {
        var (fixture, firstCode, id) = await StartedThenResendFailingAfterWrongCodesAsync(wrongCodesDuringTheSend: 2);

        var stillPending = await fixture.CheckedAsync(id, VerifierFixture.WrongCode(firstCode));
        var right = await fixture.CheckedAsync(id, firstCode);

        // 1 wrong code before the resend, 2 while it was tried, 1 after: 4 of 5, the right code still works.
        Assert.Equal(1, stillPending.Record.AttemptsRemaining);
        Assert.True(right.Valid);
    }

    [Fact]
    public async Task SendFailure_ResendRefusedAfterWrongCodesUsedUpTheAttempts_StaysLocked()
    {
        var (fixture, firstCode, id) = await StartedThenResendFailingAfterWrongCodesAsync(wrongCodesDuringTheSend: 4);

        var right = await fixture.CheckedAsync(id, firstCode);

        Assert.False(right.Valid);
        Assert.Equal(VerificationState.MaxAttemptsReached, right.Record.Status);
        Assert.Equal(0, right.Record.AttemptsRemaining);
    }

    [Fact]
    public async Task SendFailure_PaymentBurnedByAnotherTransactionWhileItsResendWasTried_StaysBurned()
    {
        var payment = TransactionDetails.Create("25.00", "EUR", "ACME Shop");
        var capture = new CapturingSmsSender();
        var sender = FlakySenderDeliveringTo(capture);
        var fixture = NewFixture(sender: sender);
        var first = await fixture.StartedAsync(fixture.Start("payment", transaction: payment));
        var firstCode = capture.LastCode;
        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).Returns(async _ =>
        {
            await fixture.CheckedAsync(first.Id, firstCode, TransactionDetails.Create("2500.00", "EUR", "ACME Shop"));
            return SendResult.Failure("HTTP 503");
        });
        var resend = await fixture.Verifier.StartAsync(fixture.Start("payment", transaction: payment), CancellationToken.None);
        var afterRefund = await fixture.CheckedAsync(first.Id, firstCode, payment);

        Assert.IsType<StartOutcome.SendFailed>(resend);
        Assert.False(afterRefund.Valid);
        Assert.Equal(VerificationState.Failed, afterRefund.Record.Status);
    }

    /// <summary>
    /// A verification with one wrong code, then a resend whose provider fails after the given wrong codes were
    /// checked against the first code while it was being tried (issue 12, point 1).
    /// </summary>
    private async Task<(VerifierFixture Fixture, string FirstCode, string Id)> StartedThenResendFailingAfterWrongCodesAsync(int wrongCodesDuringTheSend)
    {
        var capture = new CapturingSmsSender();
        var sender = FlakySenderDeliveringTo(capture);
        var fixture = NewFixture(sender: sender);
        var first = await fixture.StartedAsync(fixture.Start());
        var firstCode = capture.LastCode;
        await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(firstCode));
        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).Returns(async _ =>
        {
            for (var i = 0; i < wrongCodesDuringTheSend; i++)
            {
                await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(firstCode));
            }

            return SendResult.Failure("HTTP 429: the provider's own per-number limit");
        });
        var resend = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);
        Assert.IsType<StartOutcome.SendFailed>(resend);
        return (fixture, firstCode, first.Id);
    }

    /// <summary>A provider that delivers to <paramref name="capture"/> until a test tells it otherwise.</summary>
    private static ISmsSender FlakySenderDeliveringTo(CapturingSmsSender capture)
    {
        var sender = Substitute.For<ISmsSender>();
        sender.CanServe(default!, default!, default).ReturnsForAnyArgs(true);
        sender.Name.Returns("flaky");
        sender.SendAsync(Arg.Any<SmsMessage>(), Arg.Any<CancellationToken>()).Returns(call => capture.SendAsync(call.Arg<SmsMessage>(), CancellationToken.None));
        return sender;
    }
}
