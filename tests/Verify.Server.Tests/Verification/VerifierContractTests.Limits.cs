using Verify.Engine.Codes;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>
/// The limits across purposes (number, prefix, country, caller, global, countries per IP), the
/// lockout, geo permissions, the safe list and the pumping guard: each allows exactly its Max, and a
/// refusal sends nothing and counts in no other limit.
/// </summary>
public abstract partial class VerifierContractTests
{
    private const string UsNumber = "+12025550123";
    private const string GbNumber = "+447400123456";

    [Fact]
    public async Task Limits_NumberAcrossPurposes_AllowsMaxThenRefusesWhateverThePurpose()
    {
        var fixture = NewFixture(Settings(("Verify:Limits:Number:0:Window", "01:00:00"), ("Verify:Limits:Number:0:Max", "2")));
        await fixture.StartedAsync(fixture.Start("login"));
        await fixture.StartedAsync(fixture.Start("signup"));

        var third = await fixture.Verifier.StartAsync(fixture.Start("payment", transaction: Transaction()), CancellationToken.None);

        AssertThrottled(third, "number:1h");
        Assert.Equal(2, fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Limits_Prefix_CountsEveryNumberOfTheBlock()
    {
        var fixture = NewFixture(Settings(("Verify:Limits:Prefix:0:Window", "01:00:00"), ("Verify:Limits:Prefix:0:Max", "3")));
        for (var i = 1; i <= 3; i++)
        {
            await fixture.StartedAsync(fixture.Start(phone: $"+861381234{i:0000}"));
        }

        var fourth = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812349999"), CancellationToken.None);
        var otherBlock = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812350001"), CancellationToken.None);

        AssertThrottled(fourth, "prefix:1h");
        Assert.IsType<StartOutcome.Started>(otherBlock);
    }

    [Fact]
    public async Task Limits_PerCountryOverride_AppliesToThatCountryOnly()
    {
        var fixture = NewFixture(Settings(("Verify:Limits:Countries:CN:0:Window", "01:00:00"), ("Verify:Limits:Countries:CN:0:Max", "2")));
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345601"));
        await fixture.StartedAsync(fixture.Start(phone: "+8613912345602"));

        var third = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613712345603"), CancellationToken.None);
        var us = await fixture.Verifier.StartAsync(fixture.Start(phone: UsNumber), CancellationToken.None);

        AssertThrottled(third, "country:1h");
        Assert.IsType<StartOutcome.Started>(us);
    }

    [Fact]
    public async Task Limits_PerCaller_CountsWhatEachCallingServiceStarts()
    {
        var fixture = NewFixture(Settings(("Verify:Limits:Caller:0:Window", "01:00:00"), ("Verify:Limits:Caller:0:Max", "2")));
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345611") with { CallerName = "signup-service" });
        await fixture.StartedAsync(fixture.Start(phone: "+8613912345612") with { CallerName = "signup-service" });

        var third = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613712345613") with { CallerName = "signup-service" }, CancellationToken.None);
        var otherCaller = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613712345613") with { CallerName = "login-service" }, CancellationToken.None);

        AssertThrottled(third, "caller:1h");
        Assert.IsType<StartOutcome.Started>(otherCaller);
    }

    [Fact]
    public async Task Limits_RefusedByOneLimit_CountsInNoOther()
    {
        // Global 3 an hour; one per prefix. The start the prefix refuses must not use up the global room.
        var fixture = NewFixture(Settings(
            ("Verify:Limits:Global:0:Window", "01:00:00"), ("Verify:Limits:Global:0:Max", "3"),
            ("Verify:Limits:Prefix:0:Window", "01:00:00"), ("Verify:Limits:Prefix:0:Max", "1")));
        await fixture.StartedAsync(fixture.Start(phone: "+8613812340001"));
        var samePrefix = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812340002"), CancellationToken.None);
        await fixture.StartedAsync(fixture.Start(phone: "+8613912340003"));
        await fixture.StartedAsync(fixture.Start(phone: "+8613712340004"));

        var fourth = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613612340005"), CancellationToken.None);

        AssertThrottled(samePrefix, "prefix:1h");
        AssertThrottled(fourth, "global:1h");
        Assert.Equal(3, fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Limits_CountriesPerIp_RefusesANewCountryButNotAKnownOne()
    {
        var fixture = NewFixture(Settings(("Verify:Limits:CountriesPerIp:Max", "2")));
        const string ip = "198.51.100.7";
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345621", clientIp: ip));
        await fixture.StartedAsync(fixture.Start(phone: UsNumber, clientIp: ip));

        var third = await fixture.Verifier.StartAsync(fixture.Start(phone: GbNumber, clientIp: ip), CancellationToken.None);
        var knownCountry = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613912345622", clientIp: ip), CancellationToken.None);
        var otherIp = await fixture.Verifier.StartAsync(fixture.Start(phone: GbNumber, clientIp: "198.51.100.8"), CancellationToken.None);

        AssertThrottled(third, "ip:countries");
        Assert.IsType<StartOutcome.Started>(knownCountry);
        Assert.IsType<StartOutcome.Started>(otherIp);
    }

    [Fact]
    public async Task Lockout_WrongCodesInARowAcrossVerifications_LockStartsAndChecksUntilItEnds()
    {
        var fixture = NewFixture(Settings(
            ("Verify:Policies:login:Lockout:MaxFailures", "7"), ("Verify:Policies:login:Lockout:Duration", "00:30:00"),
            ("Verify:Policies:login:Ttl", "00:02:00")));
        var first = await fixture.StartedAsync(fixture.Start());
        for (var i = 0; i < 5; i++)
        {
            await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        }

        // The first verification is used up; a new one after it expires does not reset the count.
        fixture.Time.Advance(TimeSpan.FromMinutes(3));
        var second = await fixture.StartedAsync(fixture.Start());
        var secondCode = fixture.Capture.LastCode;
        await fixture.CheckedAsync(second.Id, VerifierFixture.WrongCode(secondCode));
        var seventh = await fixture.CheckedAsync(second.Id, VerifierFixture.WrongCode(secondCode));

        var rightCodeWhileLocked = await fixture.CheckAsync(second.Id, secondCode);
        var startWhileLocked = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromMinutes(31));
        var afterwards = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);

        Assert.False(seventh.Valid);
        var locked = Assert.IsType<CheckOutcome.Throttled>(rightCodeWhileLocked);
        Assert.Equal("phone:lockout", locked.Subject);
        Assert.InRange(locked.RetryAfter, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        AssertThrottled(startWhileLocked, "phone:lockout");
        Assert.IsType<StartOutcome.Started>(afterwards);
    }

    [Fact]
    public async Task Lockout_WhenItEnds_TheCountStartsAgainSoOneWrongCodeDoesNotLockAgain()
    {
        var fixture = NewFixture(Settings(
            ("Verify:Policies:login:Lockout:MaxFailures", "3"), ("Verify:Policies:login:Lockout:Duration", "00:10:00"),
            ("Verify:Policies:login:ResendCooldown", "00:00:00")));
        var first = await fixture.StartedAsync(fixture.Start());
        for (var i = 0; i < 3; i++)
        {
            await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        }

        Assert.IsType<CheckOutcome.Throttled>(await fixture.CheckAsync(first.Id, fixture.Capture.LastCode));
        fixture.Time.Advance(TimeSpan.FromMinutes(11));

        // After the lockout: the same (expired) verification's number gets a new one; two wrong codes are two, not a relock.
        var second = await fixture.StartedAsync(fixture.Start());
        var code = fixture.Capture.LastCode;
        var afterOne = await fixture.CheckedAsync(second.Id, VerifierFixture.WrongCode(code));
        var afterTwo = await fixture.CheckedAsync(second.Id, VerifierFixture.WrongCode(code));
        var right = await fixture.CheckedAsync(second.Id, code);

        Assert.Equal((1, 2), (afterOne.Record.FailuresInARow ?? 1, afterTwo.Record.FailuresInARow ?? 2));
        Assert.True(right.Valid);
    }

    [Fact]
    public async Task Lockout_WhenItEndsWhileItsVerificationLives_TheNextWrongCodeCountsOne()
    {
        var fixture = NewFixture(Settings(
            ("Verify:Policies:login:Lockout:MaxFailures", "2"), ("Verify:Policies:login:Lockout:Duration", "00:01:00"),
            ("Verify:Policies:login:MaxAttempts", "5"), ("Verify:Policies:login:Ttl", "00:10:00")));
        var started = await fixture.StartedAsync(fixture.Start());
        var code = fixture.Capture.LastCode;
        await fixture.CheckedAsync(started.Id, VerifierFixture.WrongCode(code));
        await fixture.CheckedAsync(started.Id, VerifierFixture.WrongCode(code));
        Assert.IsType<CheckOutcome.Throttled>(await fixture.CheckAsync(started.Id, code));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var wrongAfter = await fixture.CheckedAsync(started.Id, VerifierFixture.WrongCode(code));
        var right = await fixture.CheckedAsync(started.Id, code);

        Assert.Equal(VerificationState.Pending, wrongAfter.Record.Status);
        Assert.True(right.Valid);
    }

    [Fact]
    public async Task Lockout_AnApproval_ResetsTheWrongCodesInARow()
    {
        var fixture = NewFixture(Settings(("Verify:Policies:login:Lockout:MaxFailures", "3"), ("Verify:Policies:login:ResendCooldown", "00:00:00")));
        var first = await fixture.StartedAsync(fixture.Start());
        await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        await fixture.CheckedAsync(first.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        Assert.True((await fixture.CheckedAsync(first.Id, fixture.Capture.LastCode)).Valid);

        var second = await fixture.StartedAsync(fixture.Start());
        await fixture.CheckedAsync(second.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        var stillOpen = await fixture.CheckedAsync(second.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));

        Assert.Equal(VerificationState.Pending, stillOpen.Record.Status);
        Assert.True((await fixture.CheckedAsync(second.Id, fixture.Capture.LastCode)).Valid);
    }

    [Fact]
    public async Task Geo_CountryNotAllowed_RefusedBeforeAnyCounterAndSendsNothing()
    {
        var fixture = NewFixture(Settings(
            ("Verify:Policies:login:Countries:Allow:0", "CN"),
            ("Verify:Limits:Global:0:Window", "01:00:00"), ("Verify:Limits:Global:0:Max", "1")));

        var us = await fixture.Verifier.StartAsync(fixture.Start(phone: UsNumber), CancellationToken.None);
        var cn = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);

        Assert.IsType<StartOutcome.Refused>(us);
        Assert.IsType<StartOutcome.Started>(cn);
        Assert.Single(fixture.Capture.Messages);
    }

    [Fact]
    public async Task Geo_DeniedCountry_IsRefusedEvenWithoutAnAllowList()
    {
        var fixture = NewFixture(Settings(("Verify:Policies:signup:Countries:Deny:0", "GB")));

        Assert.IsType<StartOutcome.Refused>(await fixture.Verifier.StartAsync(fixture.Start("signup", phone: GbNumber), CancellationToken.None));
        Assert.IsType<StartOutcome.Started>(await fixture.Verifier.StartAsync(fixture.Start("login", phone: GbNumber), CancellationToken.None));
    }

    [Theory]
    [InlineData("+447781123456")] // Guernsey
    [InlineData("+447797712345")] // Jersey
    [InlineData("+447624123456")] // Isle of Man
    public async Task Geo_CrownDependencyNumber_DenyingGbDeniesIt(string crownDependencyNumber)
    {
        // libphonenumber places these in GG, JE, IM; a deny-list of GB must still refuse them (SMS pumping), as before it.
        var fixture = NewFixture(Settings(("Verify:Policies:signup:Countries:Deny:0", "GB")));

        Assert.IsType<StartOutcome.Refused>(await fixture.Verifier.StartAsync(fixture.Start("signup", phone: crownDependencyNumber), CancellationToken.None));
        Assert.IsType<StartOutcome.Started>(await fixture.Verifier.StartAsync(fixture.Start("login", phone: crownDependencyNumber), CancellationToken.None));
        Assert.Single(fixture.Capture.Messages);
    }

    [Fact]
    public async Task SafeList_TestNumber_SkipsThrottlesNeverReachesTheSenderAndChecksWithItsCode()
    {
        var fixture = NewFixture(Settings(
            ("Verify:SafeList:0:Number", "+12025550100"), ("Verify:SafeList:0:Code", "246810"),
            ("Verify:SafeList:0:Purposes:0", "login"), ("Verify:SafeList:0:Callers:0", "anonymous"),
            ("Verify:Limits:Global:0:Window", "01:00:00"), ("Verify:Limits:Global:0:Max", "1")));

        var starts = new List<StartOutcome>();
        for (var i = 0; i < 3; i++)
        {
            starts.Add(await fixture.Verifier.StartAsync(fixture.Start(phone: "+12025550100"), CancellationToken.None));
        }

        var record = Assert.IsType<StartOutcome.Started>(starts[^1]).Record;
        var check = await fixture.CheckedAsync(record.Id, "246810");
        var ordinary = await fixture.Verifier.StartAsync(fixture.Start(), CancellationToken.None);

        Assert.All(starts, s => Assert.IsType<StartOutcome.Started>(s));
        Assert.True(check.Valid);
        Assert.IsType<StartOutcome.Started>(ordinary);
        Assert.Single(fixture.Capture.Messages);
    }

    [Fact]
    public async Task SafeList_AnotherPurposeOrAnotherCaller_GetsAnOrdinaryCodeBySms()
    {
        var fixture = NewFixture(Settings(
            ("Verify:SafeList:0:Number", "+12025550100"), ("Verify:SafeList:0:Code", "246810"),
            ("Verify:SafeList:0:Purposes:0", "login"), ("Verify:SafeList:0:Callers:0", "review-app")));

        var otherPurpose = await fixture.StartedAsync(fixture.Start(purpose: "signup", phone: "+12025550100") with { CallerName = "review-app" });
        var otherCaller = await fixture.StartedAsync(fixture.Start(phone: "+12025550100") with { CallerName = "shop" });
        Assert.True((await fixture.CheckedAsync(otherCaller.Id, fixture.Capture.LastCode)).Valid);
        var tested = await fixture.StartedAsync(fixture.Start(phone: "+12025550100") with { CallerName = "review-app" });

        // Only the two ordinary ones reached the sender, each with a code of its own; the fixed code is the scoped one's alone.
        Assert.Equal([otherPurpose.Id, otherCaller.Id], fixture.Capture.Messages.Select(m => m.VerificationId));
        Assert.True((await fixture.CheckedAsync(tested.Id, "246810")).Valid);
    }

    [Fact]
    public async Task SafeList_ApprovalsOfATestNumber_DoNotKeepItsBlockOpen()
    {
        var settings = Pumping();
        settings["Verify:SafeList:0:Number"] = "+8613812349999";
        settings["Verify:SafeList:0:Code"] = "246810";
        settings["Verify:SafeList:0:Purposes:0"] = "login";
        settings["Verify:SafeList:0:Callers:0"] = "anonymous";
        var fixture = NewFixture(settings);
        for (var i = 1; i <= 4; i++)
        {
            await fixture.StartedAsync(fixture.Start(phone: $"+861381234{i:0000}"));
            var probe = await fixture.StartedAsync(fixture.Start(phone: "+8613812349999"));
            Assert.True((await fixture.CheckedAsync(probe.Id, "246810")).Valid);
        }

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var blocked = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345555"), CancellationToken.None);

        AssertThrottled(blocked, "prefix:pumping");
    }

    [Fact]
    public async Task Pumping_ManySendsToABlockAndNoneUsed_BlocksTheBlockButNotOthers()
    {
        var fixture = NewFixture(Pumping());
        for (var i = 1; i <= 4; i++)
        {
            await fixture.StartedAsync(fixture.Start(phone: $"+861381234{i:0000}"));
        }

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var blocked = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345555"), CancellationToken.None);
        var again = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812346666"), CancellationToken.None);
        var elsewhere = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613912345555"), CancellationToken.None);

        var throttled = AssertThrottled(blocked, "prefix:pumping");
        Assert.Equal(TimeSpan.FromMinutes(30), throttled.RetryAfter);
        AssertThrottled(again, "prefix:pumping");
        Assert.IsType<StartOutcome.Started>(elsewhere);
        Assert.Equal(5, fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Pumping_SendsThatAreUsed_KeepTheBlockOpen()
    {
        var fixture = NewFixture(Pumping());
        for (var i = 1; i <= 4; i++)
        {
            var record = await fixture.StartedAsync(fixture.Start(phone: $"+861381234{i:0000}"));
            if (i <= 2)
            {
                Assert.True((await fixture.CheckedAsync(record.Id, fixture.Capture.LastCode)).Valid);
            }
        }

        // Approvals are counted off the caller's path, but ahead of any later command on the same store.
        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var next = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345555"), CancellationToken.None);

        Assert.IsType<StartOutcome.Started>(next);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => (string?)s.Value);

    // Four settled sends with fewer than half used block the block of numbers for 30 minutes.
    private static Dictionary<string, string?> Pumping() => Settings(
        ("Verify:Limits:PumpingGuard:MinSends", "4"), ("Verify:Limits:PumpingGuard:MinConversion", "0.5"),
        ("Verify:Limits:PumpingGuard:SettleTime", "00:01:00"), ("Verify:Limits:PumpingGuard:BlockFor", "00:30:00"),
        ("Verify:Limits:PumpingGuard:Countries", "false"));

    private static TransactionDetails Transaction() => TransactionDetails.Create("25.00", "EUR", "ACME Shop");

    private static StartOutcome.Throttled AssertThrottled(StartOutcome outcome, string subject)
    {
        var throttled = Assert.IsType<StartOutcome.Throttled>(outcome);
        Assert.Equal(subject, throttled.Subject);
        Assert.False(string.IsNullOrEmpty(throttled.Description));
        return throttled;
    }
}
