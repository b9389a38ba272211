using Verify.Engine.Storage;
using Verify.Engine.Verification;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Verification;

/// <summary>
/// Issue 12, points 2 and 11: per-IP limits count an IPv6 subscriber's whole /64 and calls without an IP, and
/// wrong codes are limited per client IP across verifications.
/// </summary>
public abstract partial class VerifierContractTests
{
    private static readonly Dictionary<string, string?> TwoStartsPerIp = new()
    {
        ["Verify:Policies:login:IpLimits:0:Window"] = "01:00:00",
        ["Verify:Policies:login:IpLimits:0:Max"] = "2",
    };

    [Fact]
    public async Task Start_SixAddressesOfOneIpv6Slash64_CountAsOneClient()
    {
        var fixture = NewFixture(TwoStartsPerIp);
        string[] addresses = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2:a::9", "2001:db8:1:2::5", "2001:db8:1:2::6"];

        var outcomes = new List<StartOutcome>();
        for (var i = 0; i < addresses.Length; i++)
        {
            outcomes.Add(await fixture.Verifier.StartAsync(fixture.Start(phone: $"+86138123456{i:00}", clientIp: addresses[i]), CancellationToken.None));
        }

        var nextSubnet = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345699", clientIp: "2001:db8:1:3::1"), CancellationToken.None);

        Assert.Equal(2, outcomes.Count(o => o is StartOutcome.Started));
        Assert.All(outcomes.Skip(2), o => Assert.Equal("ip:1h", Assert.IsType<StartOutcome.Throttled>(o).Subject));
        Assert.IsType<StartOutcome.Started>(nextSubnet);
    }

    [Fact]
    public async Task Start_Ipv6PrefixLength128_CountsEachAddressAlone()
    {
        var fixture = NewFixture(new Dictionary<string, string?>(TwoStartsPerIp) { ["Verify:Limits:Ipv6PrefixLength"] = "128" });

        for (var i = 0; i < 4; i++)
        {
            await fixture.StartedAsync(fixture.Start(phone: $"+86138123456{i:00}", clientIp: $"2001:db8:1:2::{i + 1}"));
        }
    }

    [Fact]
    public async Task Start_WithoutClientIp_CountsInOneBucketPerCaller()
    {
        var fixture = NewFixture(TwoStartsPerIp);
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345601") with { CallerName = "shop" });
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345602") with { CallerName = "shop" });

        var third = Assert.IsType<StartOutcome.Throttled>(await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345603") with { CallerName = "shop" }, CancellationToken.None));
        var otherCaller = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345603") with { CallerName = "bank" }, CancellationToken.None);
        var withAnIp = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345604", clientIp: "203.0.113.7") with { CallerName = "shop" }, CancellationToken.None);

        Assert.Equal("ip:1h", third.Subject);
        Assert.Contains("client_ip", third.Description, StringComparison.Ordinal);
        Assert.IsType<StartOutcome.Started>(otherCaller);
        Assert.IsType<StartOutcome.Started>(withAnIp);
        Assert.Equal(4, fixture.Capture.Messages.Count);
    }

    [Fact]
    public async Task Check_WrongCodesFromOneIpAcrossVerifications_AreLimitedAndTheRefusalCountsNothing()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Limits:WrongCodesPerIp:0:Window"] = "01:00:00",
            ["Verify:Limits:WrongCodesPerIp:0:Max"] = "3",
        });
        var records = new List<(VerificationRecord Record, string Code)>();
        for (var i = 0; i < 4; i++)
        {
            records.Add((await fixture.StartedAsync(fixture.Start(phone: $"+86138123456{i:00}")), fixture.Capture.LastCode));
        }

        // One wrong code at each of three verifications: each lockout per number is far away.
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await fixture.CheckedAsync(records[i].Record.Id, VerifierFixture.WrongCode(records[i].Code), clientIp: "2001:db8:7:7::1")).Valid);
        }

        // The fourth guess, from another address of the same /64, at a fourth verification: refused, even the right code.
        var refused = Assert.IsType<CheckOutcome.Throttled>(await fixture.CheckAsync(records[3].Record.Id, records[3].Code, clientIp: "2001:db8:7:7::2"));
        var untouched = await fixture.Verifier.GetAsync(records[3].Record.Id, string.Empty, CancellationToken.None);
        var fromElsewhere = await fixture.CheckedAsync(records[3].Record.Id, records[3].Code, clientIp: "198.51.100.4");

        Assert.Equal(ThrottleMessages.WrongCodesPerIp, refused.Subject);
        Assert.Equal("At most 3 wrong codes per 1h from one IP address.", refused.Description);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(5, untouched!.AttemptsRemaining);
        Assert.True(fromElsewhere.Valid);
    }

    [Fact]
    public async Task Check_RightCodesAndUnknownIdsFromOneIp_DoNotCountAsWrongCodes()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Limits:WrongCodesPerIp:0:Window"] = "01:00:00",
            ["Verify:Limits:WrongCodesPerIp:0:Max"] = "1",
        });
        for (var i = 0; i < 3; i++)
        {
            var record = await fixture.StartedAsync(fixture.Start(phone: $"+86138123456{i:00}"));
            Assert.IsType<CheckOutcome.Malformed>(await fixture.CheckAsync(record.Id, "12345", clientIp: "203.0.113.9"));
            Assert.True((await fixture.CheckedAsync(record.Id, fixture.Capture.LastCode, clientIp: "203.0.113.9")).Valid);
            Assert.IsType<CheckOutcome.NotFound>(await fixture.CheckAsync(record.Id, fixture.Capture.LastCode, clientIp: "203.0.113.9"));
        }

        var last = await fixture.StartedAsync(fixture.Start(phone: "+8613812345699"));
        Assert.False((await fixture.CheckedAsync(last.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode), clientIp: "203.0.113.9")).Valid);
        Assert.IsType<CheckOutcome.Throttled>(await fixture.CheckAsync(last.Id, fixture.Capture.LastCode, clientIp: "203.0.113.9"));
    }

    [Fact]
    public async Task Check_CodesAgainstAnEndedVerification_AreNoGuessesForTheIp()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Policies:login:MaxAttempts"] = "2",
            ["Verify:Limits:WrongCodesPerIp:0:Window"] = "01:00:00",
            ["Verify:Limits:WrongCodesPerIp:0:Max"] = "3",
        });
        var ended = await fixture.StartedAsync(fixture.Start(phone: "+8613812345601"));
        var endedCode = fixture.Capture.LastCode;
        await fixture.CheckedAsync(ended.Id, VerifierFixture.WrongCode(endedCode), clientIp: "203.0.113.9");
        Assert.Equal(VerificationState.MaxAttemptsReached, (await fixture.CheckedAsync(ended.Id, VerifierFixture.WrongCode(endedCode), clientIp: "203.0.113.9")).Record.Status);

        // The user retries the code they were sent: the verification has ended, nothing is compared, no guess counted.
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await fixture.CheckedAsync(ended.Id, endedCode, clientIp: "203.0.113.9")).Valid);
        }

        var next = await fixture.StartedAsync(fixture.Start(phone: "+8613812345602"));
        Assert.True((await fixture.CheckedAsync(next.Id, fixture.Capture.LastCode, clientIp: "203.0.113.9")).Valid);
    }

    [Fact]
    public async Task Check_WithoutClientIp_WrongCodesCountPerCaller()
    {
        var fixture = NewFixture(new Dictionary<string, string?>
        {
            ["Verify:Limits:WrongCodesPerIp:0:Window"] = "00:10:00",
            ["Verify:Limits:WrongCodesPerIp:0:Max"] = "2",
        });
        var first = await fixture.StartedAsync(fixture.Start(phone: "+8613812345601"));
        var wrong = VerifierFixture.WrongCode(fixture.Capture.LastCode);
        var second = await fixture.StartedAsync(fixture.Start(phone: "+8613812345602"));
        var code = fixture.Capture.LastCode;

        await fixture.CheckedAsync(first.Id, wrong, caller: "shop");
        await fixture.CheckedAsync(first.Id, wrong, caller: "shop");
        var refused = Assert.IsType<CheckOutcome.Throttled>(await fixture.CheckAsync(second.Id, code, caller: "shop"));
        var otherCaller = await fixture.CheckedAsync(second.Id, code, caller: "bank");

        Assert.Contains("client_ip", refused.Description, StringComparison.Ordinal);
        Assert.True(otherCaller.Valid);
    }

    [Fact]
    public async Task Check_WrongCodesPerIpTurnedOff_CountsNothingPerIp()
    {
        var fixture = NewFixture(new Dictionary<string, string?> { ["Verify:Limits:WrongCodesPerIp"] = string.Empty });

        // 52 wrong codes from one address: past the default of 50 an hour, spread so no number locks.
        for (var i = 0; i < 13; i++)
        {
            var record = await fixture.StartedAsync(fixture.Start(phone: $"+86138123456{i:00}"));
            for (var attempt = 0; attempt < 4; attempt++)
            {
                Assert.False((await fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode), clientIp: "203.0.113.9")).Valid);
            }
        }
    }
}
