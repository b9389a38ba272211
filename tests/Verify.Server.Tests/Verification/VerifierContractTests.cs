using Verify.Engine.Codes;
using Verify.Delivery;
using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>
/// The engine over a store: every outcome of the contract. The same tests run over each store
/// (<see cref="EmbeddedVerifierContractTests"/>, and over a real Redis server and a Redis Cluster),
/// so the stores cannot drift apart.
/// </summary>
public abstract partial class VerifierContractTests : IDisposable
{
    private readonly List<VerifierFixture> _fixtures = [];
    private VerifierFixture? _fixture;

    private VerifierFixture Fixture => _fixture ??= NewFixture();

    public void Dispose()
    {
        _fixtures.ForEach(f => f.Dispose());
        GC.SuppressFinalize(this);
    }

    /// <summary>A store of the kind under test, empty, on the engine's (hand-moved) clock.</summary>
    private protected abstract IVerificationStore CreateStore(TimeProvider time);

    private VerifierFixture NewFixture(IDictionary<string, string?>? settings = null, ISmsSender? sender = null, HmacKeyRing? keys = null)
    {
        var fixture = new VerifierFixture(settings, sender, keys, CreateStore);
        _fixtures.Add(fixture);
        return fixture;
    }

    [Fact]
    public async Task Start_NewNumber_SendsOneMessageWithASixDigitCodeAndStoresOnlyItsHash()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        var message = Assert.Single(Fixture.Capture.Messages);
        Assert.Equal("+8613812345678", message.To);
        Assert.Equal(record.Id, message.VerificationId);
        Assert.Matches("^[0-9]{6}$", CapturingSmsSender.CodeOf(message));
        Assert.Contains(CapturingSmsSender.CodeOf(message), message.Text);
        Assert.Equal(VerificationState.Pending, record.Status);
        Assert.Equal(DeliveryState.Sent, record.DeliveryStatus);
        Assert.Equal(5, record.AttemptsRemaining);
        Assert.Equal(Fixture.Time.GetUtcNow() + TimeSpan.FromMinutes(5), record.ExpiresAt);
        Assert.Equal(Fixture.Time.GetUtcNow() + TimeSpan.FromSeconds(60), record.NextSendAt);
        Assert.Equal(1 + 32, record.Code.Hash.Length); // version byte, HMAC-SHA256
        Assert.DoesNotContain(CapturingSmsSender.CodeOf(message), Convert.ToHexString(record.Code.Hash));
    }

    [Fact]
    public async Task Check_RightCode_ApprovesOnceThenNotFound()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;

        var first = await Fixture.CheckedAsync(record.Id, code);
        var second = await Fixture.CheckAsync(record.Id, code);

        Assert.True(first.Valid);
        Assert.Equal(VerificationState.Approved, first.Record.Status);
        Assert.IsType<CheckOutcome.NotFound>(second);
    }

    [Fact]
    public async Task Check_WrongCode_CountsOneAttemptAndStaysPending()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        var check = await Fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(Fixture.Capture.LastCode));

        Assert.False(check.Valid);
        Assert.Equal(VerificationState.Pending, check.Record.Status);
        Assert.Equal(4, check.Record.AttemptsRemaining);
    }

    [Fact]
    public async Task Check_WrongCodeUsingUpAttempts_LocksSoEvenTheRightCodeFails()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;
        CheckOutcome.Checked last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await Fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(code));
        }

        var right = await Fixture.CheckedAsync(record.Id, code);

        Assert.Equal(VerificationState.MaxAttemptsReached, last.Record.Status);
        Assert.False(right.Valid);
        Assert.Equal(VerificationState.MaxAttemptsReached, right.Record.Status);
        Assert.Equal(0, right.Record.AttemptsRemaining);
    }

    [Fact]
    public async Task Check_WrongLength_IsMalformedAndCountsNothing()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        var result = await Fixture.CheckAsync(record.Id, "12345");
        var after = await Fixture.Verifier.GetAsync(record.Id, string.Empty, CancellationToken.None);

        Assert.Equal(6, Assert.IsType<CheckOutcome.Malformed>(result).ExpectedLength);
        Assert.Equal(5, after!.AttemptsRemaining);
    }

    [Fact]
    public async Task Check_LettersForADigitsPolicy_IsMalformed()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        Assert.IsType<CheckOutcome.Malformed>(await Fixture.CheckAsync(record.Id, "ABCDEF"));
    }

    [Fact]
    public async Task Check_AfterTtl_IsNotFound()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;

        Fixture.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.IsType<CheckOutcome.NotFound>(await Fixture.CheckAsync(record.Id, code));
    }

    [Fact]
    public async Task Check_JustBeforeTtl_IsValid()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;

        Fixture.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));

        Assert.True((await Fixture.CheckedAsync(record.Id, code)).Valid);
    }

    [Fact]
    public async Task Check_ByPhoneAndPurpose_FindsThePendingVerification()
    {
        await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;

        var result = await Fixture.Verifier.CheckAsync(new CheckInput(null, VerifierFixture.Phone(), "login", code, null, null), CancellationToken.None);
        var otherPurpose = await Fixture.Verifier.CheckAsync(new CheckInput(null, VerifierFixture.Phone(), "signup", code, null, null), CancellationToken.None);

        Assert.True(Assert.IsType<CheckOutcome.Checked>(result).Valid);
        Assert.IsType<CheckOutcome.NotFound>(otherPurpose);
    }

    [Fact]
    public async Task Start_AgainWithinCooldown_IsThrottledWithTheTimeLeft()
    {
        await Fixture.StartedAsync(Fixture.Start());
        Fixture.Time.Advance(TimeSpan.FromSeconds(20));

        var outcome = Assert.IsType<StartOutcome.Throttled>(await Fixture.Verifier.StartAsync(Fixture.Start(), CancellationToken.None));

        Assert.Equal("phone:cooldown", outcome.Subject);
        Assert.Equal(TimeSpan.FromSeconds(40), outcome.RetryAfter);
        Assert.Single(Fixture.Capture.Messages);
    }

    [Fact]
    public async Task Start_AfterCooldown_ResendsOnTheSameVerificationWithANewCodeAndKeepsFailures()
    {
        var first = await Fixture.StartedAsync(Fixture.Start());
        var oldCode = Fixture.Capture.LastCode;
        await Fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(oldCode));
        Fixture.Time.Advance(TimeSpan.FromSeconds(60));

        var resent = await Fixture.StartedAsync(Fixture.Start());
        var newCode = Fixture.Capture.LastCode;

        Assert.Equal(first.Id, resent.Id);
        Assert.Equal(2, resent.SendCount);
        Assert.Equal(4, resent.AttemptsRemaining);
        if (oldCode != newCode)
        {
            var old = await Fixture.CheckedAsync(first.Id, oldCode);
            Assert.False(old.Valid);
        }

        Assert.True((await Fixture.CheckedAsync(first.Id, newCode)).Valid);
    }

    [Fact]
    public async Task Start_ResendWithKeepPreviousCode_BothCodesWork()
    {
        var fixture = NewFixture(new Dictionary<string, string?> { ["Verify:Policies:login:KeepPreviousCodeOnResend"] = "true" });
        var first = await fixture.StartedAsync(fixture.Start());
        var oldCode = fixture.Capture.LastCode;
        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        await fixture.StartedAsync(fixture.Start());

        Assert.True((await fixture.CheckedAsync(first.Id, oldCode)).Valid);
    }

    [Fact]
    public async Task Start_WhileLocked_IsThrottledUntilTheLockedVerificationExpires()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        for (var i = 0; i < 5; i++)
        {
            await Fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(Fixture.Capture.LastCode));
        }

        Fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var outcome = Assert.IsType<StartOutcome.Throttled>(await Fixture.Verifier.StartAsync(Fixture.Start(), CancellationToken.None));

        Assert.Equal("phone:attempts", outcome.Subject);
        Assert.Equal(TimeSpan.FromMinutes(3), outcome.RetryAfter);
    }

    [Fact]
    public async Task Start_PhoneHourWindow_AllowsFiveAndRefusesTheSixth()
    {
        for (var i = 0; i < 5; i++)
        {
            var record = await Fixture.StartedAsync(Fixture.Start());
            await Fixture.CheckedAsync(record.Id, Fixture.Capture.LastCode);
            Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var sixth = Assert.IsType<StartOutcome.Throttled>(await Fixture.Verifier.StartAsync(Fixture.Start(), CancellationToken.None));

        Assert.Equal("phone:1h", sixth.Subject);
        Assert.Equal(TimeSpan.FromMinutes(55), sixth.RetryAfter);
        Assert.Equal(5, Fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Start_IpWindow_CountsAcrossNumbers()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
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
        var first = await Fixture.StartedAsync(Fixture.Start(idempotencyKey: "order-42"));

        var again = Assert.IsType<StartOutcome.Started>(await Fixture.Verifier.StartAsync(Fixture.Start(idempotencyKey: "order-42"), CancellationToken.None));

        Assert.True(again.Replayed);
        Assert.Equal(first.Id, again.Record.Id);
        Assert.Single(Fixture.Capture.Messages);
    }

    [Fact]
    public async Task Cancel_Pending_CodeStopsWorkingButCooldownStays()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;

        var canceled = Assert.IsType<CancelOutcome.Canceled>(await Fixture.Verifier.CancelAsync(record.Id, string.Empty, CancellationToken.None));
        var check = await Fixture.CheckAsync(record.Id, code);
        var restart = await Fixture.Verifier.StartAsync(Fixture.Start(), CancellationToken.None);

        Assert.Equal(VerificationState.Canceled, canceled.Record.Status);
        Assert.IsType<CheckOutcome.NotFound>(check);
        Assert.Equal("phone:cooldown", Assert.IsType<StartOutcome.Throttled>(restart).Subject);
    }

    [Fact]
    public async Task Approve_ClearsTheCooldown_SoTheNextVerificationCanStart()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        await Fixture.CheckedAsync(record.Id, Fixture.Capture.LastCode);

        var next = await Fixture.StartedAsync(Fixture.Start());

        Assert.NotEqual(record.Id, next.Id);
    }

    [Fact]
    public async Task Payment_SameTransactionWrittenDifferently_IsValid()
    {
        var sent = TransactionDetails.Create("25.00", "EUR", "ACME Shop");
        var record = await Fixture.StartedAsync(Fixture.Start("payment", transaction: sent));

        var check = await Fixture.CheckedAsync(record.Id, Fixture.Capture.LastCode, TransactionDetails.Create("25.0", "EUR", "ACME Shop"));

        Assert.True(check.Valid);
        Assert.Contains("25.00", Fixture.Capture.Last.Text);
        Assert.Contains("ACME Shop", Fixture.Capture.Last.Text);
    }

    [Theory]
    [InlineData("25.01", "EUR", "ACME Shop")]
    [InlineData("25.00", "USD", "ACME Shop")]
    [InlineData("25.00", "EUR", "ACME Shop Ltd")]
    public async Task Payment_ChangedTransaction_IsNotValidAndBurnsTheCode(string amount, string currency, string payee)
    {
        var record = await Fixture.StartedAsync(Fixture.Start("payment", transaction: TransactionDetails.Create("25.00", "EUR", "ACME Shop")));
        var code = Fixture.Capture.LastCode;

        var changed = await Fixture.CheckedAsync(record.Id, code, TransactionDetails.Create(amount, currency, payee));
        var original = await Fixture.CheckedAsync(record.Id, code, TransactionDetails.Create("25.00", "EUR", "ACME Shop"));

        Assert.False(changed.Valid);
        Assert.Equal(VerificationState.Failed, changed.Record.Status);
        Assert.False(original.Valid);
    }

    [Fact]
    public async Task Payment_CheckWithoutTransaction_BurnsTheCode()
    {
        var record = await Fixture.StartedAsync(Fixture.Start("payment", transaction: TransactionDetails.Create("25.00", "EUR", "ACME Shop")));

        var check = await Fixture.CheckedAsync(record.Id, Fixture.Capture.LastCode);

        Assert.Equal(VerificationState.Failed, check.Record.Status);
    }

    [Fact]
    public async Task Login_CheckWithATransaction_BurnsTheCode()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        var check = await Fixture.CheckedAsync(record.Id, Fixture.Capture.LastCode, TransactionDetails.Create("1.00", "EUR", "Bank"));

        Assert.False(check.Valid);
        Assert.Equal(VerificationState.Failed, check.Record.Status);
    }

    [Fact]
    public async Task Check_FiftyConcurrentRightCodes_ExactlyOneIsValid()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var code = Fixture.Capture.LastCode;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Fixture.CheckAsync(record.Id, code))));

        Assert.Equal(1, results.Count(r => r is CheckOutcome.Checked { Valid: true }));
    }

    [Fact]
    public async Task Check_HundredConcurrentWrongCodes_CountAtMostMaxAttempts()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var wrong = VerifierFixture.WrongCode(Fixture.Capture.LastCode);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Fixture.CheckAsync(record.Id, wrong))));
        var after = await Fixture.Verifier.GetAsync(record.Id, string.Empty, CancellationToken.None);

        Assert.Equal(5, after!.FailedAttempts);
        Assert.Equal(VerificationState.MaxAttemptsReached, after.Status);
        Assert.DoesNotContain(results, r => r is CheckOutcome.Checked { Valid: true });
    }
}
