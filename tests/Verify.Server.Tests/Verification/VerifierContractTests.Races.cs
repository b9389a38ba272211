using Verify.Engine.Verification;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Verification;

/// <summary>Issue 12, point 5: a wrong code that locks a verification, racing a resend of it.</summary>
public abstract partial class VerifierContractTests
{
    /// <summary>
    /// The review saw 4 of 300 such races leave a new PENDING verification with one more guess: a resend was
    /// two scripts then, and the lock could land between them. A start is now one script on the number's slot
    /// that reads the lock where it writes the record, so whichever runs first, the verification ends locked
    /// and at most MaxAttempts wrong codes are ever counted.
    /// </summary>
    [Fact]
    public async Task Race_ResendAgainstTheLockingWrongCode_NeverLeavesAGuessMoreThanMaxAttempts()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:ResendCooldown"] = "00:00:00",
            ["Verify:Policies:login:Lockout:MaxFailures"] = "100",
            ["Verify:Policies:login:PhoneLimits:0:Window"] = "00:00:01",
            ["Verify:Policies:login:PhoneLimits:0:Max"] = "1000",
            ["Verify:Policies:login:IpLimits"] = string.Empty,
            ["Verify:Limits:Number"] = string.Empty,
            ["Verify:Limits:Prefix"] = string.Empty,
            ["Verify:Limits:WrongCodesPerIp"] = string.Empty,
        });
        for (var trial = 0; trial < 300; trial++)
        {
            var phone = $"+86138{trial + 10000000:00000000}";
            var record = await fixture.StartedAsync(fixture.Start(phone: phone, clientIp: "203.0.113.7"));
            var wrong = VerifierFixture.WrongCode(fixture.Capture.LastCode);
            for (var i = 0; i < 4; i++)
            {
                await fixture.CheckedAsync(record.Id, wrong);
            }

            var resend = Task.Run(() => fixture.Verifier.StartAsync(fixture.Start(phone: phone, clientIp: "203.0.113.7"), CancellationToken.None));
            var locking = Task.Run(() => fixture.CheckAsync(record.Id, wrong));
            await Task.WhenAll(resend, locking);
            var (resendOutcome, lockingOutcome) = (await resend, await locking);

            // Whatever came first: the verification is out of attempts, with exactly 5 wrong codes counted.
            var after = await fixture.Verifier.GetAsync(record.Id, string.Empty, CancellationToken.None);
            Assert.NotNull(after);
            Assert.Equal((VerificationState.MaxAttemptsReached, 5, 0), (after.Status, after.FailedAttempts, after.AttemptsRemaining));
            var check = Assert.IsType<CheckOutcome.Checked>(lockingOutcome);
            Assert.False(check.Valid);
            switch (resendOutcome)
            {
                case StartOutcome.Started started:
                    // The resend ran first: same verification, its 4 wrong codes kept; the wrong code then locked it.
                    Assert.Equal((record.Id, 4), (started.Record.Id, started.Record.FailedAttempts));
                    break;
                case StartOutcome.Throttled throttled:
                    Assert.Equal("phone:attempts", throttled.Subject);
                    break;
                default:
                    Assert.Fail($"trial {trial}: {resendOutcome}");
                    break;
            }
        }
    }
}
