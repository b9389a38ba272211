using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Verify.Engine.Codes;
using Verify.Delivery;
using Verify.Engine.Storage.Redis;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;
using Verify.Server.Verification;
using Xunit.Abstractions;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// What the Redis store promises beyond the engine contract (which <c>RedisVerifierContractIntegrationTests</c>
/// already runs): every key expires, a check is one command, a pending verification is small, no code
/// is kept in the clear, a flushed script cache is reloaded, and a hung or dead Redis is answered
/// UNAVAILABLE quickly and is used again when it is back. Tests that stop Redis start their own.
/// </summary>
public sealed partial class RedisVerificationStoreIntegrationTests(RedisServerFixture redis, ITestOutputHelper output)
    : IClassFixture<RedisServerFixture>, IDisposable
{
    private const string Phone = "+8613812345678";
    private const string ClientIp = "203.0.113.7";

    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    // Fail closed and bounded: a call gives up well within this when the operation timeout is 300 ms.
    private static readonly TimeSpan FailBound = TimeSpan.FromSeconds(1.5);

    private readonly List<IDisposable> _disposables = [];
    private IConnectionMultiplexer? _admin;

    /// <summary>A connection of our own for inspecting the fixture's Redis (admin commands allowed).</summary>
    private IConnectionMultiplexer Admin => _admin ??= Track(ConnectionMultiplexer.Connect(redis.ConnectionString + ",allowAdmin=true,abortConnect=false"));

    private IDatabase AdminDb => Admin.GetDatabase();

    private IServer AdminServer => Admin.GetServer(redis.ConnectionString);

    public void Dispose()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            _disposables[i].Dispose();
        }
    }

    [Fact]
    public async Task Keys_AfterStartsChecksCancelRefundsAndResend_EveryKeyHasAnExpiry()
    {
        var prefix = NewPrefix();
        var sender = new FlakySmsSender();
        var fixture = Engine(prefix, sender);

        // Pending, one wrong check, then (after the cooldown) resent.
        var pending = await fixture.StartedAsync(fixture.Start(phone: "+8613812345601", clientIp: ClientIp));
        await fixture.CheckedAsync(pending.Id, VerifierFixture.WrongCode(sender.LastCode));

        // Approved.
        var approved = await fixture.StartedAsync(fixture.Start(phone: "+8613812345602", clientIp: ClientIp));
        Assert.True((await fixture.CheckedAsync(approved.Id, sender.LastCode)).Valid);

        // Canceled.
        var canceled = await fixture.StartedAsync(fixture.Start(phone: "+8613812345603", clientIp: ClientIp, idempotencyKey: "order-1"));
        Assert.IsType<CancelOutcome.Canceled>(await fixture.Verifier.CancelAsync(canceled.Id, string.Empty, CancellationToken.None));

        // Locked by wrong codes.
        var locked = await fixture.StartedAsync(fixture.Start(phone: "+8613812345604", clientIp: ClientIp));
        for (var i = 0; i < 5; i++)
        {
            await fixture.CheckedAsync(locked.Id, VerifierFixture.WrongCode(sender.LastCode));
        }

        // Burned by a check against another transaction.
        var payment = await fixture.StartedAsync(fixture.Start(
            purpose: "payment", phone: "+8613812345605", clientIp: ClientIp, transaction: TransactionDetails.Create("12.50", "EUR", "ACME")));
        Assert.Equal(VerificationState.Failed, (await fixture.CheckedAsync(payment.Id, sender.LastCode, TransactionDetails.Create("99.00", "EUR", "ACME"))).Record.Status);

        // A refunded first send, from an IP with no other send (its log goes), and from the shared IP.
        sender.FailFor.Add("+8613812345606");
        sender.FailFor.Add("+8613812345607");
        Assert.IsType<StartOutcome.SendFailed>(await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345606", clientIp: "198.51.100.9"), CancellationToken.None));
        Assert.IsType<StartOutcome.SendFailed>(await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345607", clientIp: ClientIp), CancellationToken.None));

        // A refunded resend: the first code stays.
        var refundedResend = await fixture.StartedAsync(fixture.Start(phone: "+8613812345608", clientIp: ClientIp));
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        sender.FailFor.Add("+8613812345608");
        Assert.IsType<StartOutcome.SendFailed>(await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345608", clientIp: ClientIp), CancellationToken.None));

        // The resend of the first one.
        var resent = await fixture.StartedAsync(fixture.Start(phone: "+8613812345601", clientIp: ClientIp));
        Assert.Equal(pending.Id, resent.Id);
        Assert.Equal(2, resent.SendCount);

        // The hand-off marks are fire and forget on the store's connection: a read there runs after them,
        // so the scan below sees their writes. The refunded resend left the first code's record in place.
        Assert.NotNull(await fixture.Verifier.GetAsync(refundedResend.Id, string.Empty, CancellationToken.None));

        var keys = KeysUnder(prefix);
        var ttls = new List<(string Key, long PttlMs)>();
        foreach (var key in keys)
        {
            ttls.Add((key, (long)await AdminDb.ExecuteAsync("PTTL", key)));
        }

        foreach (var (key, ttl) in ttls.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{ttl,10} ms  {key}");
        }

        var kinds = new RedisKeys(prefix);
        Assert.Contains((string)kinds.Record(pending.Id)!, keys);
        Assert.Contains((string)kinds.Record(locked.Id)!, keys);
        Assert.Contains((string)kinds.Record(refundedResend.Id)!, keys);
        Assert.Contains((string)kinds.Number("+8613812345602")!, keys);
        Assert.Contains((string)kinds.Ip(ClientIp, "login")!, keys);
        Assert.DoesNotContain((string)kinds.Ip("198.51.100.9", "login")!, keys);
        Assert.All(ttls, t => Assert.True(t.PttlMs > 0, $"{t.Key} has PTTL {t.PttlMs}: it would never expire"));
    }

    [Fact]
    public async Task Check_ById_WithoutWrongCodesPerIp_IsOneRedisCommand()
    {
        var fixture = Engine(NewPrefix(), settings: WrongCodesPerIpOff);
        var record = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        var code = fixture.Capture.LastCode;

        // The first use of a script on a connection also loads it (SCRIPT LOAD); measure the steady state.
        await fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(code));
        using var monitor = new RedisMonitor(redis.Server.Port);
        var check = await fixture.CheckedAsync(record.Id, code);
        var commands = monitor.ReadUntilEcho(redis.Server);

        foreach (var command in commands)
        {
            output.WriteLine($"{command.Source,-22} {command.Name} {command.FirstArgument}");
        }

        // The check is one script; an approval also feeds the pumping guard of the number's prefix and
        // country, written after the answer, off the caller's path.
        Assert.True(check.Valid);
        var fromClients = commands.Where(c => c.Source != "lua" && !IsHousekeeping(c.Name)).ToList();
        Assert.All(fromClients, c => Assert.Equal("evalsha", c.Name));
        Assert.Single(fromClients, c => c.FirstArgument == Sha1(RedisScripts.Check.Text));
        Assert.All(fromClients.Where(c => c.FirstArgument != Sha1(RedisScripts.Check.Text)), c => Assert.Equal(Sha1(RedisScripts.RecordApproval.Text), c.FirstArgument));
    }

    [Fact]
    public async Task Check_ByIdWithAWrongCode_WithoutWrongCodesPerIp_IsOneRedisCommand()
    {
        var fixture = Engine(NewPrefix(), settings: WrongCodesPerIpOff);
        var record = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        var wrong = VerifierFixture.WrongCode(fixture.Capture.LastCode);
        await fixture.CheckedAsync(record.Id, wrong);

        using var monitor = new RedisMonitor(redis.Server.Port);
        var check = await fixture.CheckedAsync(record.Id, wrong);
        var commands = monitor.ReadUntilEcho(redis.Server);

        Assert.False(check.Valid);
        var only = Assert.Single(commands, c => c.Source != "lua" && !IsHousekeeping(c.Name));
        Assert.Equal(Sha1(RedisScripts.Check.Text), only.FirstArgument);
    }

    [Fact]
    public async Task Check_ByIdWithAWrongCode_TouchesOnlyTheRecord_WhichKeepsTheCountAsLongAsTheNumbersState()
    {
        var prefix = NewPrefix();
        var fixture = Engine(prefix, settings: WrongCodesPerIpOff);
        var record = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        var keys = new RedisKeys(prefix);
        var recordKey = (string)keys.Record(record.Id)!;
        var numberKey = (string)keys.Number(Phone)!;
        var wrong = VerifierFixture.WrongCode(fixture.Capture.LastCode);

        using var monitor = new RedisMonitor(redis.Server.Port);
        var check = await fixture.CheckedAsync(record.Id, wrong);
        var fromScript = monitor.ReadUntilEcho(redis.Server).Where(c => c.Source == "lua").ToList();

        Assert.False(check.Valid);
        Assert.Equal(1, check.Record.FailuresInARow);
        // The number's state is neither read nor written: only its expiry is asked, for the record's.
        Assert.Equal(["time", "get", "pttl", "set"], fromScript.Select(c => c.Name));
        Assert.Equal([recordKey, numberKey, recordKey], fromScript.Skip(1).Select(c => c.FirstArgument));
        var recordTtl = await AdminDb.KeyTimeToLiveAsync(recordKey);
        var numberTtl = await AdminDb.KeyTimeToLiveAsync(numberKey);
        Assert.True(recordTtl > TimeSpan.FromHours(1), $"record kept {recordTtl}, beyond its code's 5 minutes");
        Assert.InRange((numberTtl - recordTtl)!.Value.Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StatePerCaller_OffForARollThenOn_TheCallersPendingVerificationIsFoundAndResent()
    {
        var prefix = NewPrefix();
        var storeSettings = new RedisStoreOptions { StatePerCaller = false };
        var fixture = Track(new VerifierFixture(
            new Dictionary<string, string?> { ["Verify:Policies:login:ResendCooldown"] = "00:00:00", ["Verify:Limits:WrongCodesPerIp"] = string.Empty },
            store: _ => redis.CreateStore(prefix, settings: storeSettings)));
        const string Owner = "0a0b0c0d0e0f";

        // During the roll: the number's state for the purpose is every caller's, as the release before keeps it.
        var started = await fixture.StartedAsync(fixture.Start() with { Owner = Owner });
        await fixture.Verifier.CheckAsync(new CheckInput(started.Id, null, null, VerifierFixture.WrongCode(fixture.Capture.LastCode), null, null) { Owner = Owner }, CancellationToken.None);

        // Turned on: the caller's resend takes its verification over (same id, its wrong code kept), and a check by number finds it.
        storeSettings.StatePerCaller = true;
        var resent = await fixture.StartedAsync(fixture.Start() with { Owner = Owner });
        var byNumber = await fixture.Verifier.CheckAsync(
            new CheckInput(null, VerifierFixture.Phone(Phone), "login", fixture.Capture.LastCode, null, null) { Owner = Owner }, CancellationToken.None);

        Assert.Equal((started.Id, 2, 4), (resent.Id, resent.SendCount, resent.AttemptsRemaining));
        Assert.True(Assert.IsType<CheckOutcome.Checked>(byNumber).Valid);
    }

    [Theory]
    [InlineData("3", "phone:lockout")]
    [InlineData("100", "phone:attempts")]
    public async Task StatePerCaller_TurnedOffForARollback_WhatTheCallersSlotHeldStillRefuses(string maxFailures, string subject)
    {
        var prefix = NewPrefix();
        var storeSettings = new RedisStoreOptions { StatePerCaller = true };
        var fixture = Track(new VerifierFixture(
            new Dictionary<string, string?>
            {
                ["Verify:Policies:login:ResendCooldown"] = "00:00:00",
                ["Verify:Policies:login:MaxAttempts"] = "3",
                ["Verify:Policies:login:Lockout:MaxFailures"] = maxFailures,
                ["Verify:Limits:WrongCodesPerIp"] = string.Empty,
            },
            store: _ => redis.CreateStore(prefix, settings: storeSettings)));
        const string Owner = "0a0b0c0d0e0f";
        var started = await fixture.StartedAsync(fixture.Start() with { Owner = Owner });
        for (var i = 0; i < 3; i++)
        {
            await fixture.Verifier.CheckAsync(new CheckInput(started.Id, null, null, VerifierFixture.WrongCode(fixture.Capture.LastCode), null, null) { Owner = Owner }, CancellationToken.None);
        }

        Assert.Equal(subject, Assert.IsType<StartOutcome.Throttled>(await fixture.Verifier.StartAsync(fixture.Start() with { Owner = Owner }, CancellationToken.None)).Subject);

        // Rolled back: the caller's slot folds into the purpose's entry, which refuses as the slot did.
        storeSettings.StatePerCaller = false;
        var afterRollback = await fixture.Verifier.StartAsync(fixture.Start() with { Owner = Owner }, CancellationToken.None);

        Assert.Equal(subject, Assert.IsType<StartOutcome.Throttled>(afterRollback).Subject);
    }

    [Fact]
    public async Task WrongCodesInRecord_OffForARollThenOn_RecordsHaveThePreviousReleasesFieldsTillThenAndTheCountCarriesOver()
    {
        var prefix = NewPrefix();
        var storeSettings = new RedisStoreOptions { WrongCodesInRecord = false };
        var fixture = Track(new VerifierFixture(
            new Dictionary<string, string?> { ["Verify:Policies:login:Lockout:MaxFailures"] = "3", ["Verify:Policies:login:ResendCooldown"] = "00:00:00" },
            store: _ => redis.CreateStore(prefix, settings: storeSettings)));
        var keys = new RedisKeys(prefix);
        async Task<int> FieldsOfAsync(string id) => ((byte[])(await AdminDb.StringGetAsync(keys.Record(id)))!)[2];

        // During the roll: 25 fields, which the release before reads; the count is in the number's state.
        var started = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        var first = await fixture.CheckedAsync(started.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        Assert.Null(first.Record.FailuresInARow);
        Assert.Equal(25, await FieldsOfAsync(started.Id));

        // Turned on (a reload): the resend's record takes the count over, and the next wrong code is counted in it.
        storeSettings.WrongCodesInRecord = true;
        var resent = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        Assert.Equal((started.Id, 1), (resent.Id, resent.FailuresInARow));
        var second = await fixture.CheckedAsync(started.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        Assert.Equal(2, second.Record.FailuresInARow);
        Assert.Equal(26, await FieldsOfAsync(started.Id));

        // Off again (a rollback): the third wrong code in a row still locks the number out, for a new start too.
        storeSettings.WrongCodesInRecord = false;
        await fixture.CheckedAsync(started.Id, VerifierFixture.WrongCode(fixture.Capture.LastCode));
        Assert.IsType<CheckOutcome.Throttled>(await fixture.CheckAsync(started.Id, fixture.Capture.LastCode));
        var refused = Assert.IsType<StartOutcome.Throttled>(await fixture.Verifier.StartAsync(fixture.Start(clientIp: ClientIp), CancellationToken.None));
        Assert.Equal("phone:lockout", refused.Subject);
    }

    [Fact]
    public async Task Check_ByNumberAndPurpose_WithoutWrongCodesPerIp_IsOneRedisCommand()
    {
        var fixture = Engine(NewPrefix(), settings: WrongCodesPerIpOff);
        await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        var wrong = VerifierFixture.WrongCode(fixture.Capture.LastCode);
        var byNumber = new CheckInput(null, VerifierFixture.Phone(Phone), "login", wrong, null, null);
        Assert.IsType<CheckOutcome.Checked>(await fixture.Verifier.CheckAsync(byNumber, CancellationToken.None));

        using var monitor = new RedisMonitor(redis.Server.Port);
        var check = Assert.IsType<CheckOutcome.Checked>(await fixture.Verifier.CheckAsync(byNumber, CancellationToken.None));
        var commands = monitor.ReadUntilEcho(redis.Server);

        Assert.False(check.Valid);
        Assert.Equal(3, check.Record.AttemptsRemaining);
        var only = Assert.Single(commands, c => c.Source != "lua" && !IsHousekeeping(c.Name));
        Assert.Equal(Sha1(RedisScripts.Check.Text), only.FirstArgument);
    }

    [Fact]
    public async Task Check_WithWrongCodesPerIp_CountsTheGuessOnTheIpsSlotFirstAndGivesARightCodesBack()
    {
        var prefix = NewPrefix();
        var fixture = Engine(prefix);
        var record = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp));
        var code = fixture.Capture.LastCode;
        var wrongCodesKey = (string)new RedisKeys(prefix).IpWrongCodes(ClientIp)!;
        await fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(code), clientIp: ClientIp);

        using var monitor = new RedisMonitor(redis.Server.Port);
        Assert.False((await fixture.CheckedAsync(record.Id, VerifierFixture.WrongCode(code), clientIp: ClientIp)).Valid);
        var wrongCheck = ScriptsRun(monitor.ReadUntilEcho(redis.Server));
        Assert.True((await fixture.CheckedAsync(record.Id, code, clientIp: ClientIp)).Valid);
        var rightCheck = ScriptsRun(monitor.ReadUntilEcho(redis.Server));

        Assert.Equal([Sha1(RedisScripts.AdmitWrongCode.Text), Sha1(RedisScripts.Check.Text)], wrongCheck);
        Assert.Equal([Sha1(RedisScripts.AdmitWrongCode.Text), Sha1(RedisScripts.Check.Text), Sha1(RedisScripts.RefundCounter.Text)], rightCheck.Where(s => s != Sha1(RedisScripts.RecordApproval.Text)));
        // The IP's guesses hold the two wrong codes, not the right one.
        Assert.Equal(2, await AdminDb.SortedSetLengthAsync(wrongCodesKey));
    }

    private static readonly Dictionary<string, string?> WrongCodesPerIpOff = new() { ["Verify:Limits:WrongCodesPerIp"] = string.Empty };

    private static List<string> ScriptsRun(IEnumerable<MonitoredCommand> commands) =>
        [.. commands.Where(c => c.Source != "lua" && c.Name == "evalsha").Select(c => c.FirstArgument)];

    private static string Sha1(string script) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(script)));

    [Fact]
    public async Task Memory_PendingLoginVerificationWithClientIp_RecordAndNumberStateAtMost416Bytes()
    {
        // The production default prefix, so key names are as long as in a deployment.
        const string prefix = "verify";
        var fixture = Engine(prefix);

        // Started by an authenticated caller, so the record carries its owner tag as in production.
        var owner = new Verify.Server.Security.Caller("login-service", [], [], [], Admin: false).OwnerTag;
        var record = await fixture.StartedAsync(fixture.Start(clientIp: ClientIp) with { Owner = owner });
        Assert.Equal(DeliveryState.Sent, (await fixture.Verifier.GetAsync(record.Id, owner, CancellationToken.None))!.DeliveryStatus);

        var keys = new RedisKeys(prefix);
        var recordKey = keys.Record(record.Id);
        var phoneKey = keys.Number(Phone);
        var ipKey = keys.Ip(ClientIp, "login");
        var recordBytes = await MemoryUsageAsync(recordKey);
        var phoneBytes = await MemoryUsageAsync(phoneKey);
        var ipBytes = await MemoryUsageAsync(ipKey);

        output.WriteLine($"redis-server {AdminServer.Version}, MEMORY USAGE (bytes), key prefix \"{prefix}\", login policy defaults, client IP {ClientIp}:");
        output.WriteLine($"  record       {recordBytes,4}  (value {await AdminDb.StringLengthAsync(recordKey)} bytes)  {recordKey}");
        output.WriteLine($"  number state {phoneBytes,4}  (value {await AdminDb.StringLengthAsync(phoneKey)} bytes)  {phoneKey}");
        output.WriteLine($"  record + number state = {recordBytes + phoneBytes}");
        output.WriteLine($"  IP log       {ipBytes,4}  (value {await AdminDb.StringLengthAsync(ipKey)} bytes)  {ipKey}");

        // At most 400 since the record holds the number's wrong codes in a row (WrongCodesInRecord, on in these
        // suites): rw = 0 is one byte, which takes a record with an owner tag from 124 to 125 bytes and its
        // allocation from the 128-byte class to the 160 (docs/performance.md). 416 since the number's state keeps
        // an authenticated caller's part in a slot of its own ("login#" and the 6-byte owner tag: issue 12,
        // point 6): 7 bytes, which take its value from 57 to 64 bytes and its allocation from the 64-byte class to the 80.
        Assert.True(recordBytes + phoneBytes <= 416, $"record {recordBytes} + number state {phoneBytes} = {recordBytes + phoneBytes} bytes");
        Assert.True(ipBytes > 0);
    }

    [Fact]
    public async Task Values_AfterStarts_NeverHoldTheCodeInTheClear()
    {
        var prefix = NewPrefix();
        var fixture = Engine(prefix, settings: new Dictionary<string, string?>
        {
            ["Verify:Policies:long:CodeLength"] = "10",
            ["Verify:Policies:long:Alphabet"] = "Alphanumeric",
            ["Verify:Policies:login:KeepPreviousCodeOnResend"] = "true",
        });
        var records = new List<VerificationRecord>
        {
            await fixture.StartedAsync(fixture.Start(clientIp: ClientIp, idempotencyKey: "order-42")),
            await fixture.StartedAsync(fixture.Start(purpose: "long", phone: "+8613812345699", clientIp: ClientIp)),
            await fixture.StartedAsync(fixture.Start(
                purpose: "payment", phone: "+8613812345698", clientIp: ClientIp, transaction: TransactionDetails.Create("12.50", "EUR", "ACME"))),
        };

        // A resend that keeps the previous code: two codes on one record.
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        records.Add(await fixture.StartedAsync(fixture.Start(clientIp: ClientIp, idempotencyKey: "order-43")));
        var codes = fixture.Capture.Messages.Select(CapturingSmsSender.CodeOf).Distinct().ToList();
        Assert.Equal(4, fixture.Capture.Messages.Count);
        await fixture.Verifier.GetAsync(records[0].Id, string.Empty, CancellationToken.None);

        // What is public anyway (numbers, ids, send ids, IPs, idempotency keys) is blanked first, so a code
        // that happens to occur inside a phone number or a hex id is not taken for a stored code.
        string[] known = [.. records.SelectMany(r => (string[])[r.PhoneNumber, r.PhoneNumber[..^4], r.Id, r.LastSendId, r.IdempotencyKey ?? ""]), ClientIp, prefix];
        var keys = KeysUnder(prefix);
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            // Strings (records, numbers' state, IP logs) and the counters' sorted sets and hashes, read whole by DUMP.
            var type = await AdminDb.KeyTypeAsync(key);
            Assert.Contains(type, (RedisType[])[RedisType.String, RedisType.SortedSet, RedisType.Hash]);
            var value = type == RedisType.String ? (byte[])(await AdminDb.StringGetAsync(key))! : [];
            var dump = (byte[])(await AdminDb.ExecuteAsync("DUMP", key))!;
            foreach (var code in codes)
            {
                var needle = Encoding.UTF8.GetBytes(code);
                Assert.False(Blanked(Encoding.UTF8.GetBytes(key), known).AsSpan().IndexOf(needle) >= 0, $"the name of {key} holds a code");
                Assert.False(Blanked(value, known).AsSpan().IndexOf(needle) >= 0, $"{key} holds a code");
                Assert.False(Blanked(dump, known).AsSpan().IndexOf(needle) >= 0, $"DUMP {key} holds a code");
            }
        }
    }

    [Fact]
    public async Task ScriptFlush_ThenStartCheckAndCancel_WorkThroughTheSameStore()
    {
        var fixture = Engine(NewPrefix());
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345611", clientIp: ClientIp));

        await AdminServer.ScriptFlushAsync();
        var started = await fixture.StartedAsync(fixture.Start(phone: "+8613812345612", clientIp: ClientIp));
        var code = fixture.Capture.LastCode;
        // The hand-off's mark is not awaited, and after a flush it takes one more round trip (NOSCRIPT, then the
        // text): a read right after the start can see the record before it.
        VerificationRecord? afterStart = null;
        for (var i = 0; i < 50 && afterStart?.DeliveryStatus != DeliveryState.Sent; i++)
        {
            await Task.Delay(i == 0 ? 0 : 20);
            afterStart = await fixture.Verifier.GetAsync(started.Id, string.Empty, CancellationToken.None);
        }

        await AdminServer.ScriptFlushAsync();
        var check = await fixture.CheckedAsync(started.Id, code);

        await AdminServer.ScriptFlushAsync();
        var other = await fixture.StartedAsync(fixture.Start(phone: "+8613812345613"));
        await AdminServer.ScriptFlushAsync();
        var cancel = await fixture.Verifier.CancelAsync(other.Id, string.Empty, CancellationToken.None);

        output.WriteLine(Regex.Match(await AdminServer.InfoRawAsync("errorstats") ?? string.Empty, "errorstat_NOSCRIPT:[^\r\n]*").Value);
        Assert.NotNull(afterStart);
        Assert.Equal(DeliveryState.Sent, afterStart.DeliveryStatus);
        Assert.True(check.Valid);
        Assert.IsType<CancelOutcome.Canceled>(cancel);
    }

    [Fact]
    public async Task Calls_WhileRedisHangs_ThrowStoreUnavailableWithinBoundThenWorkAgain()
    {
        using var server = RedisServerProcess.Start("--maxmemory-policy", "noeviction", "--enable-debug-command", "local");
        var (fixture, store) = EngineOn(server);
        var first = await fixture.StartedAsync(fixture.Start(phone: "+8613812345621", clientIp: ClientIp));
        var code = fixture.Capture.LastCode;

        // Callers keep coming while Redis stalls: each is answered UNAVAILABLE within the bound.
        var sleeping = await HangAsync(server, TimeSpan.FromSeconds(1.5));
        var start = TimeUnavailableAsync(() => fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345622", clientIp: ClientIp), CancellationToken.None));
        var startWithoutIp = TimeUnavailableAsync(() => fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345624"), CancellationToken.None));
        var check = TimeUnavailableAsync(() => fixture.CheckAsync(first.Id, VerifierFixture.WrongCode(code)));
        var cancel = TimeUnavailableAsync(() => fixture.Verifier.CancelAsync(first.Id, string.Empty, CancellationToken.None));
        var get = TimeUnavailableAsync(() => fixture.Verifier.GetAsync(first.Id, string.Empty, CancellationToken.None));
        var pingTime = Stopwatch.StartNew();
        var healthy = await PingWithinAsync(store, TimeSpan.FromMilliseconds(500));
        pingTime.Stop();
        var times = await Task.WhenAll(start, startWithoutIp, check, cancel, get);
        Assert.Equal("+OK", await sleeping);

        var afterwards = await fixture.StartedAsync(fixture.Start(phone: "+8613812345623", clientIp: ClientIp));
        var afterCheck = await fixture.CheckedAsync(afterwards.Id, fixture.Capture.LastCode);

        output.WriteLine($"UNAVAILABLE after (ms): start {times[0].TotalMilliseconds:0}, start without IP {times[1].TotalMilliseconds:0}, "
            + $"check {times[2].TotalMilliseconds:0}, cancel {times[3].TotalMilliseconds:0}, get {times[4].TotalMilliseconds:0}; "
            + $"ping with a 500 ms probe timeout: {healthy} after {pingTime.ElapsedMilliseconds} ms");
        Assert.All(times, t => Assert.True(t < FailBound, $"a call took {t} with a {ShortTimeout} timeout"));
        Assert.False(healthy);
        Assert.True(pingTime.Elapsed < FailBound, $"ping took {pingTime.Elapsed}");
        Assert.True(afterCheck.Valid);
        Assert.True(await store.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Calls_WhileRedisIsDown_ThrowStoreUnavailablePromptlyThenWorkAfterRestartOnTheSameMultiplexer()
    {
        using var server = RedisServerProcess.Start("--maxmemory-policy", "noeviction");

        // With no connection a call fails at once, whatever the timeout; the default one keeps the
        // first calls after the restart (scripts sent whole again) clear of a loaded machine's pauses.
        var (fixture, store) = EngineOn(server, operationTimeout: TimeSpan.FromSeconds(1));
        var first = await fixture.StartedAsync(fixture.Start(phone: "+8613812345631", clientIp: ClientIp));
        var code = fixture.Capture.LastCode;

        server.Kill();
        var startTime = await TimeUnavailableAsync(() => fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345632", clientIp: ClientIp), CancellationToken.None));
        var checkTime = await TimeUnavailableAsync(() => fixture.CheckAsync(first.Id, code));
        var getTime = await TimeUnavailableAsync(() => fixture.Verifier.GetAsync(first.Id, string.Empty, CancellationToken.None));

        server.Restart();
        var reconnect = Stopwatch.StartNew();
        while (!await PingWithinAsync(store, TimeSpan.FromSeconds(1)))
        {
            Assert.True(reconnect.Elapsed < TimeSpan.FromSeconds(15), "the store did not reconnect within 15 s of the restart");
            await Task.Delay(100);
        }

        reconnect.Stop();
        var again = await fixture.StartedAsync(fixture.Start(phone: "+8613812345633", clientIp: ClientIp));
        var check = await fixture.CheckedAsync(again.Id, fixture.Capture.LastCode);

        output.WriteLine($"unavailable after: start {startTime.TotalMilliseconds:0} ms, check {checkTime.TotalMilliseconds:0} ms, get {getTime.TotalMilliseconds:0} ms; reconnected {reconnect.ElapsedMilliseconds} ms after the restart");
        Assert.True(startTime < FailBound, $"start took {startTime}");
        Assert.True(checkTime < FailBound, $"check took {checkTime}");
        Assert.True(getTime < FailBound, $"get took {getTime}");
        Assert.True(check.Valid);
    }

    [Fact]
    public async Task PingAsync_RedisUpThenKilled_TrueThenFalse()
    {
        using var server = RedisServerProcess.Start("--maxmemory-policy", "noeviction");
        var (_, store) = EngineOn(server);

        var up = await store.PingAsync(CancellationToken.None);
        server.Kill();
        var elapsed = Stopwatch.StartNew();
        using var probeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var down = await store.PingAsync(probeTimeout.Token);
        elapsed.Stop();

        Assert.True(up);
        Assert.False(down);
        Assert.True(elapsed.Elapsed < FailBound, $"ping took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task MessagePack_IntegersPackedByRedisLua_ReaderReadsThemAndWriterWritesTheSameBytes()
    {
        long[] values = [0, 1, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, uint.MaxValue + 1L, 1L << 40, 1_795_420_800_123,
            -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, int.MinValue - 1L];
        foreach (var value in values)
        {
            var packed = (byte[])(await AdminDb.ScriptEvaluateAsync(
                "return cmsgpack.pack(tonumber(ARGV[1]))", null, [value.ToString(CultureInfo.InvariantCulture)]))!;

            var reader = new MessagePackReader(packed);
            Assert.Equal(value, reader.ReadInt64());
            Assert.True(reader.End);
            if (value >= 0)
            {
                Assert.Equal(Convert.ToHexStringLower(packed), Convert.ToHexStringLower(new MessagePackWriter().WriteInt64(value).ToArray()));
            }
        }
    }

    [Fact]
    public async Task Encode_RecordRepackedByRedisLua_ComesBackByteForByte()
    {
        var fixture = Engine(NewPrefix(), settings: new Dictionary<string, string?> { ["Verify:Policies:login:KeepPreviousCodeOnResend"] = "true" });
        await fixture.StartedAsync(fixture.Start(idempotencyKey: "order-1"));
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        var record = await fixture.StartedAsync(fixture.Start(idempotencyKey: "order-2"));
        Assert.NotNull(record.PreviousCode);

        var encoded = RedisRecordCodec.Encode(record);
        var repacked = (byte[])(await AdminDb.ScriptEvaluateAsync("return cmsgpack.pack(cmsgpack.unpack(ARGV[1]))", null, [encoded]))!;

        Assert.Equal(Convert.ToHexStringLower(encoded), Convert.ToHexStringLower(repacked));
    }

    [Fact]
    public async Task Check_RightCodeAnsweredUnavailableDuringAStall_StillWorksWhenRetried()
    {
        using var server = RedisServerProcess.Start("--maxmemory-policy", "noeviction", "--enable-debug-command", "local");
        var (fixture, _) = EngineOn(server);
        var record = await fixture.StartedAsync(fixture.Start(phone: "+8613812345641"));
        var code = fixture.Capture.LastCode;

        var sleeping = await HangAsync(server, TimeSpan.FromSeconds(1));
        await TimeUnavailableAsync(() => fixture.CheckAsync(record.Id, code));
        await sleeping;
        var retried = await fixture.CheckAsync(record.Id, code);

        Assert.True(Assert.IsType<CheckOutcome.Checked>(retried).Valid);
    }

    [Fact]
    public async Task Start_AnsweredUnavailableDuringAStall_CountsNothingAgainstTheClientIp()
    {
        using var server = RedisServerProcess.Start("--maxmemory-policy", "noeviction", "--enable-debug-command", "local");
        var (fixture, _) = EngineOn(server, new Dictionary<string, string?>
        {
            ["Verify:Policies:login:IpLimits:0:Window"] = "01:00:00",
            ["Verify:Policies:login:IpLimits:0:Max"] = "1",
        });
        await fixture.StartedAsync(fixture.Start(phone: "+8613812345651"));

        var sleeping = await HangAsync(server, TimeSpan.FromSeconds(1));
        await TimeUnavailableAsync(() => fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345652", clientIp: ClientIp), CancellationToken.None));
        await sleeping;
        var retried = await fixture.Verifier.StartAsync(fixture.Start(phone: "+8613812345652", clientIp: ClientIp), CancellationToken.None);

        Assert.IsType<StartOutcome.Started>(retried);
        Assert.Equal(2, fixture.Capture.Messages.Count);
    }

    private static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static bool IsHousekeeping(string command) =>
        command is "ping" or "echo" or "info" or "config" or "client" or "cluster" or "select" or "hello" or "auth" or "command"
            or "time" or "subscribe" or "unsubscribe" or "role" or "sentinel" or "monitor";

    private static byte[] Blanked(byte[] haystack, IEnumerable<string> known)
    {
        var copy = (byte[])haystack.Clone();
        foreach (var needle in known.Where(k => k.Length > 0).Select(Encoding.UTF8.GetBytes))
        {
            for (var at = copy.AsSpan().IndexOf(needle); at >= 0; at = copy.AsSpan().IndexOf(needle))
            {
                copy.AsSpan(at, needle.Length).Clear();
            }
        }

        return copy;
    }

    /// <summary>
    /// Sends DEBUG SLEEP on a connection of its own and returns once Redis has stopped answering; the
    /// task it returns is the DEBUG SLEEP's reply, when Redis answers again.
    /// </summary>
    private static async Task<Task<string?>> HangAsync(RedisServerProcess server, TimeSpan duration)
    {
        var seconds = duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var sleeping = SendRawAsync(server.Port, "DEBUG SLEEP " + seconds, duration + TimeSpan.FromSeconds(5));
        var waited = Stopwatch.StartNew();
        while (await SendRawAsync(server.Port, "PING", TimeSpan.FromMilliseconds(100)) is not null)
        {
            // A loaded 2-core machine can take a while to get DEBUG SLEEP to Redis; the stall is awaited, not assumed.
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "Redis kept answering after DEBUG SLEEP");
        }

        return sleeping;
    }

    /// <summary>One inline command on a fresh connection: the first line of the reply, or null when none came within <paramref name="within"/>.</summary>
    private static async Task<string?> SendRawAsync(int port, string command, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return await reader.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>What the health probe sees: healthy, or not (false, or no answer within the probe timeout).</summary>
    private static async Task<bool> PingWithinAsync(RedisVerificationStore store, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await store.PingAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<TimeSpan> TimeUnavailableAsync(Func<Task> call)
    {
        var elapsed = Stopwatch.StartNew();
        await Assert.ThrowsAsync<StoreUnavailableException>(call);
        return elapsed.Elapsed;
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private VerifierFixture Engine(string prefix, ISmsSender? sender = null, IDictionary<string, string?>? settings = null) =>
        Track(new VerifierFixture(settings, sender, store: _ => redis.CreateStore(prefix)));

    /// <summary>The engine over a store on <paramref name="server"/>, connected as production connects (300 ms timeout).</summary>
    private (VerifierFixture Fixture, RedisVerificationStore Store) EngineOn(
        RedisServerProcess server, IDictionary<string, string?>? settings = null, TimeSpan? operationTimeout = null)
    {
        var timeout = operationTimeout ?? ShortTimeout;
        var multiplexer = Track((ConnectionMultiplexer)RedisConnectionFactory.Connect(
            new RedisStoreOptions { Configuration = server.EndPoint, OperationTimeout = timeout }, NullLogger.Instance));
        var store = redis.CreateStore(operationTimeout: timeout, multiplexer: multiplexer);
        return (Track(new VerifierFixture(settings, store: _ => store)), store);
    }

    private List<string> KeysUnder(string prefix) =>
        [.. AdminServer.Keys(pattern: prefix + ":*", pageSize: 1000).Select(k => (string)k!)];

    private async Task<long> MemoryUsageAsync(RedisKey key) => (long)await AdminDb.ExecuteAsync("MEMORY", "USAGE", key);

    /// <summary>A command as MONITOR shows it: who sent it ("lua" for a command a script ran), its name and first argument.</summary>
    private sealed record MonitoredCommand(string Source, string Name, string FirstArgument);

    /// <summary>MONITOR on a raw connection of its own: every command Redis runs, from any client or script.</summary>
    private sealed partial class RedisMonitor : IDisposable
    {
        private readonly TcpClient _client = new();
        private readonly StreamReader _reader;

        public RedisMonitor(int port)
        {
            _client.Connect("127.0.0.1", port);
            var stream = _client.GetStream();
            stream.ReadTimeout = 5000;
            stream.Write("MONITOR\r\n"u8);
            _reader = new StreamReader(stream, Encoding.Latin1);
            Assert.Equal("+OK", _reader.ReadLine());
        }

        /// <summary>Sends an ECHO through another connection and returns what ran before it.</summary>
        public List<MonitoredCommand> ReadUntilEcho(RedisServerProcess server)
        {
            var marker = "monitor-end-" + Guid.NewGuid().ToString("N");
            Assert.NotNull(server.TryCommand("ECHO " + marker));
            var commands = new List<MonitoredCommand>();
            for (var i = 0; i < 10_000; i++)
            {
                var line = _reader.ReadLine() ?? throw new IOException("MONITOR ended");
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    return commands;
                }

                var match = Line().Match(line);
                Assert.True(match.Success, "unexpected MONITOR line: " + line);
                commands.Add(new MonitoredCommand(match.Groups["source"].Value, match.Groups["name"].Value.ToLowerInvariant(), match.Groups["arg"].Value));
            }

            throw new InvalidOperationException("MONITOR never showed the marker");
        }

        public void Dispose()
        {
            _reader.Dispose();
            _client.Dispose();
        }

        // +1700000000.123456 [0 127.0.0.1:50000] "evalsha" "a1b2..." "1" ...   or   [0 lua] "GET" "key"
        [GeneratedRegex("""^\+[0-9.]+ \[[0-9]+ (?<source>[^\]]+)\] "(?<name>[^"]+)"(?: "(?<arg>[^"]*)")?""")]
        private static partial Regex Line();
    }

    /// <summary>Takes every message like <see cref="CapturingSmsSender"/>, except to numbers it is told to fail for.</summary>
    private sealed class FlakySmsSender : ISmsSender
    {
        private readonly CapturingSmsSender _capture = new();

        public HashSet<string> FailFor { get; } = [];

        public string Name => "flaky";

        public string LastCode => _capture.LastCode;

        public Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
            FailFor.Contains(message.To) ? Task.FromResult(SendResult.Failure("HTTP 503")) : _capture.SendAsync(message, cancellationToken);
    }
}
