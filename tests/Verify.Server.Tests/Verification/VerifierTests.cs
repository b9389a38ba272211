using Verify.Server.Codes;
using Verify.Server.Storage;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;

namespace Verify.Server.Tests.Verification;

public sealed class VerifierTests : IDisposable
{
    private readonly VerifierFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Start_NewNumber_SendsOneMessageWithASixDigitCodeAndStoresOnlyItsHash()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());

        var message = Assert.Single(_fixture.Capture.Messages);
        Assert.Equal("+8613812345678", message.To);
        Assert.Equal(record.Id, message.VerificationId);
        Assert.Matches("^[0-9]{6}$", CapturingSmsSender.CodeOf(message));
        Assert.Contains(CapturingSmsSender.CodeOf(message), message.Text);
        Assert.Equal(VerificationState.Pending, record.Status);
        Assert.Equal(DeliveryState.Sent, record.DeliveryStatus);
        Assert.Equal(5, record.AttemptsRemaining);
        Assert.Equal(_fixture.Time.GetUtcNow() + TimeSpan.FromMinutes(5), record.ExpiresAt);
        Assert.Equal(_fixture.Time.GetUtcNow() + TimeSpan.FromSeconds(60), record.NextSendAt);
        Assert.Equal(32, record.Code.Hash.Length);
        Assert.DoesNotContain(CapturingSmsSender.CodeOf(message), Convert.ToHexString(record.Code.Hash));
    }

    [Fact]
    public async Task Check_RightCode_ApprovesOnceThenNotFound()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;

        var first = await _fixture.CheckedAsync(record.Id, code);
        var second = await _fixture.CheckAsync(record.Id, code);

        Assert.True(first.Valid);
        Assert.Equal(VerificationState.Approved, first.Record.Status);
        Assert.IsType<CheckResult.NotFound>(second);
    }

    [Fact]
    public async Task Check_WrongCode_CountsOneAttemptAndStaysPending()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());

        var check = await _fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(_fixture.Capture.LastCode));

        Assert.False(check.Valid);
        Assert.Equal(VerificationState.Pending, check.Record.Status);
        Assert.Equal(4, check.Record.AttemptsRemaining);
    }

    [Fact]
    public async Task Check_WrongCodeUsingUpAttempts_LocksSoEvenTheRightCodeFails()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;
        CheckResult.Checked last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await _fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(code));
        }

        var right = await _fixture.CheckedAsync(record.Id, code);

        Assert.Equal(VerificationState.MaxAttemptsReached, last.Record.Status);
        Assert.False(right.Valid);
        Assert.Equal(VerificationState.MaxAttemptsReached, right.Record.Status);
        Assert.Equal(0, right.Record.AttemptsRemaining);
    }

    [Fact]
    public async Task Check_WrongLength_IsMalformedAndCountsNothing()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());

        var result = await _fixture.CheckAsync(record.Id, "12345");
        var after = await _fixture.Verifier.GetAsync(record.Id, CancellationToken.None);

        Assert.Equal(6, Assert.IsType<CheckResult.Malformed>(result).ExpectedLength);
        Assert.Equal(5, after!.AttemptsRemaining);
    }

    [Fact]
    public async Task Check_LettersForADigitsPolicy_IsMalformed()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());

        Assert.IsType<CheckResult.Malformed>(await _fixture.CheckAsync(record.Id, "ABCDEF"));
    }

    [Fact]
    public async Task Check_AfterTtl_IsNotFound()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;

        _fixture.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.IsType<CheckResult.NotFound>(await _fixture.CheckAsync(record.Id, code));
    }

    [Fact]
    public async Task Check_JustBeforeTtl_IsValid()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;

        _fixture.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

        Assert.True((await _fixture.CheckedAsync(record.Id, code)).Valid);
    }

    [Fact]
    public async Task Check_ByPhoneAndPurpose_FindsThePendingVerification()
    {
        await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;

        var result = await _fixture.Verifier.CheckAsync(new CheckInput(null, VerifierFixture.Phone(), "login", code, null, null), CancellationToken.None);
        var otherPurpose = await _fixture.Verifier.CheckAsync(new CheckInput(null, VerifierFixture.Phone(), "signup", code, null, null), CancellationToken.None);

        Assert.True(Assert.IsType<CheckResult.Checked>(result).Valid);
        Assert.IsType<CheckResult.NotFound>(otherPurpose);
    }

    [Fact]
    public async Task Start_AgainWithinCooldown_IsThrottledWithTheTimeLeft()
    {
        await _fixture.StartedAsync(_fixture.Start());
        _fixture.Time.Advance(TimeSpan.FromSeconds(20));

        var outcome = Assert.IsType<StartOutcome.Throttled>(await _fixture.Verifier.StartAsync(_fixture.Start(), CancellationToken.None));

        Assert.Equal("phone:cooldown", outcome.Subject);
        Assert.Equal(TimeSpan.FromSeconds(40), outcome.RetryAfter);
        Assert.Single(_fixture.Capture.Messages);
    }

    [Fact]
    public async Task Start_AfterCooldown_ResendsOnTheSameVerificationWithANewCodeAndKeepsFailures()
    {
        var first = await _fixture.StartedAsync(_fixture.Start());
        var oldCode = _fixture.Capture.LastCode;
        await _fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(oldCode));
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        var resent = await _fixture.StartedAsync(_fixture.Start());
        var newCode = _fixture.Capture.LastCode;

        Assert.Equal(first.Id, resent.Id);
        Assert.Equal(2, resent.SendCount);
        Assert.Equal(4, resent.AttemptsRemaining);
        if (oldCode != newCode)
        {
            var old = await _fixture.CheckedAsync(first.Id, oldCode);
            Assert.False(old.Valid);
        }

        Assert.True((await _fixture.CheckedAsync(first.Id, newCode)).Valid);
    }

    [Fact]
    public async Task Start_ResendWithKeepPreviousCode_BothCodesWork()
    {
        using var fixture = new VerifierFixture(new Dictionary<string, string?> { ["Verify:Policies:login:KeepPreviousCodeOnResend"] = "true" });
        var first = await fixture.StartedAsync(fixture.Start());
        var oldCode = fixture.Capture.LastCode;
        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await fixture.StartedAsync(fixture.Start());

        Assert.True((await fixture.CheckedAsync(first.Id, oldCode)).Valid);
    }

    [Fact]
    public async Task Start_WhileLocked_IsThrottledUntilTheLockedVerificationExpires()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        for (var i = 0; i < 5; i++)
        {
            await _fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(_fixture.Capture.LastCode));
        }

        _fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var outcome = Assert.IsType<StartOutcome.Throttled>(await _fixture.Verifier.StartAsync(_fixture.Start(), CancellationToken.None));

        Assert.Equal("phone:attempts", outcome.Subject);
        Assert.Equal(TimeSpan.FromMinutes(3), outcome.RetryAfter);
    }

    [Fact]
    public async Task Start_PhoneHourWindow_AllowsFiveAndRefusesTheSixth()
    {
        for (var i = 0; i < 5; i++)
        {
            var record = await _fixture.StartedAsync(_fixture.Start());
            await _fixture.CheckedAsync(record.Id, _fixture.Capture.LastCode);
            _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var sixth = Assert.IsType<StartOutcome.Throttled>(await _fixture.Verifier.StartAsync(_fixture.Start(), CancellationToken.None));

        Assert.Equal("phone:1h", sixth.Subject);
        Assert.Equal(TimeSpan.FromMinutes(55), sixth.RetryAfter);
        Assert.Equal(5, _fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Start_IpWindow_CountsAcrossNumbers()
    {
        using var fixture = new VerifierFixture(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:IpLimits:0:Window"] = "01:00:00",
            ["Verify:Policies:login:IpLimits:0:Max"] = "3",
        });
        for (var i = 0; i < 3; i++)
        {
            await fixture.StartedAsync(fixture.Start(phone: $"+861381234567{i}", clientIp: "203.0.113.7"));
        }

        var fourth = Assert.IsType<StartOutcome.Throttled>(await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345679", clientIp: "203.0.113.7"), CancellationToken.None));
        var otherIp = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345679", clientIp: "203.0.113.8"), CancellationToken.None);

        Assert.Equal("ip:1h", fourth.Subject);
        Assert.IsType<StartOutcome.Started>(otherIp);
    }

    [Fact]
    public async Task Start_SameIdempotencyKey_ReplaysWithoutSending()
    {
        var first = await _fixture.StartedAsync(_fixture.Start(idempotencyKey: "order-42"));

        var again = Assert.IsType<StartOutcome.Started>(await _fixture.Verifier.StartAsync(_fixture.Start(idempotencyKey: "order-42"), CancellationToken.None));

        Assert.True(again.Replayed);
        Assert.Equal(first.Id, again.Record.Id);
        Assert.Single(_fixture.Capture.Messages);
    }

    [Fact]
    public async Task Cancel_Pending_CodeStopsWorkingButCooldownStays()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;

        var canceled = Assert.IsType<CancelResult.Canceled>(await _fixture.Verifier.CancelAsync(record.Id, CancellationToken.None));
        var check = await _fixture.CheckAsync(record.Id, code);
        var restart = await _fixture.Verifier.StartAsync(_fixture.Start(), CancellationToken.None);

        Assert.Equal(VerificationState.Canceled, canceled.Record.Status);
        Assert.IsType<CheckResult.NotFound>(check);
        Assert.Equal("phone:cooldown", Assert.IsType<StartOutcome.Throttled>(restart).Subject);
    }

    [Fact]
    public async Task Approve_ClearsTheCooldown_SoTheNextVerificationCanStart()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        await _fixture.CheckedAsync(record.Id, _fixture.Capture.LastCode);

        var next = await _fixture.StartedAsync(_fixture.Start());

        Assert.NotEqual(record.Id, next.Id);
    }

    [Fact]
    public async Task Payment_SameTransactionWrittenDifferently_IsValid()
    {
        var sent = TransactionDetails.Create("25.00", "EUR", "ACME Shop");
        var record = await _fixture.StartedAsync(_fixture.Start("payment", transaction: sent));

        var check = await _fixture.CheckedAsync(record.Id, _fixture.Capture.LastCode, TransactionDetails.Create("25.0", "EUR", "ACME Shop"));

        Assert.True(check.Valid);
        Assert.Contains("25.00", _fixture.Capture.Last.Text);
        Assert.Contains("ACME Shop", _fixture.Capture.Last.Text);
    }

    [Theory]
    [InlineData("25.01", "EUR", "ACME Shop")]
    [InlineData("25.00", "USD", "ACME Shop")]
    [InlineData("25.00", "EUR", "ACME Shop Ltd")]
    public async Task Payment_ChangedTransaction_IsNotValidAndBurnsTheCode(string amount, string currency, string payee)
    {
        var record = await _fixture.StartedAsync(_fixture.Start("payment", transaction: TransactionDetails.Create("25.00", "EUR", "ACME Shop")));
        var code = _fixture.Capture.LastCode;

        var changed = await _fixture.CheckedAsync(record.Id, code, TransactionDetails.Create(amount, currency, payee));
        var original = await _fixture.CheckedAsync(record.Id, code, TransactionDetails.Create("25.00", "EUR", "ACME Shop"));

        Assert.False(changed.Valid);
        Assert.Equal(VerificationState.Failed, changed.Record.Status);
        Assert.False(original.Valid);
    }

    [Fact]
    public async Task Payment_CheckWithoutTransaction_BurnsTheCode()
    {
        var record = await _fixture.StartedAsync(_fixture.Start("payment", transaction: TransactionDetails.Create("25.00", "EUR", "ACME Shop")));

        var check = await _fixture.CheckedAsync(record.Id, _fixture.Capture.LastCode);

        Assert.Equal(VerificationState.Failed, check.Record.Status);
    }

    [Fact]
    public async Task Login_CheckWithATransaction_BurnsTheCode()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());

        var check = await _fixture.CheckedAsync(record.Id, _fixture.Capture.LastCode, TransactionDetails.Create("1.00", "EUR", "Bank"));

        Assert.False(check.Valid);
        Assert.Equal(VerificationState.Failed, check.Record.Status);
    }

    [Fact]
    public async Task Check_FiftyConcurrentRightCodes_ExactlyOneIsValid()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var code = _fixture.Capture.LastCode;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => _fixture.CheckAsync(record.Id, code))));

        Assert.Equal(1, results.Count(r => r is CheckResult.Checked { Valid: true }));
    }

    [Fact]
    public async Task Check_HundredConcurrentWrongCodes_CountAtMostMaxAttempts()
    {
        var record = await _fixture.StartedAsync(_fixture.Start());
        var wrong = VerifierFixture.WrongCode(_fixture.Capture.LastCode);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => _fixture.CheckAsync(record.Id, wrong))));
        var after = await _fixture.Verifier.GetAsync(record.Id, CancellationToken.None);

        Assert.Equal(5, after!.FailedAttempts);
        Assert.Equal(VerificationState.MaxAttemptsReached, after.Status);
        Assert.DoesNotContain(results, r => r is CheckResult.Checked { Valid: true });
    }
}
