using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Core;
using StackExchange.Redis;
using Verify.Admin.V1;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;
using Verify.V1;

namespace Verify.Server.Tests.Admin;

/// <summary>
/// The admin erasure (docs/personal-data.md) through the whole application on a real redis-server: afterwards
/// every key and value under the deployment's prefix is read back, and the number is found only in the name
/// of its state, which keeps its limits until they expire.
/// </summary>
public sealed partial class ErasePersonalDataTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private const string Phone = "+8613812345678";
    private const string ClientIp = "203.0.113.7";
    private const string AlphaKey = "alpha-key-0123456789abcdef";
    private const string BetaKey = "beta-key-0123456789abcdef";
    private const string ReaderKey = "reader-key-0123456789abcdef";

    private readonly string _prefix = "e" + Guid.NewGuid().ToString("N")[..10];
    private WebhookCaptureServer _sms = null!;
    private VerifyGrpcHost _host = null!;
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync()
    {
        _sms = await WebhookCaptureServer.StartAsync();
        _host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>
        {
            ["Verify:Redis:Configuration"] = redis.ConnectionString,
            ["Verify:Redis:KeyPrefix"] = _prefix,
            ["Verify:Hashing:ActiveKeyId"] = "k1",
            ["Verify:Hashing:Keys:k1"] = Convert.ToBase64String(new byte[32]),
            ["Verify:Delivery:Webhook:Url"] = _sms.Url.ToString(),

            // The layout once a roll is done: a live record holds its number's wrong codes in a row, which erasure must not lose.
            ["Verify:Redis:WrongCodesInRecord"] = "true",

            // Two wrong codes in a row lock a number out of signup, so a lockout is there to be kept.
            ["Verify:Policies:signup:Lockout:MaxFailures"] = "2",

            // One wrong code uses a payment verification up, and no cooldown follows a send: only the used-up verification refuses a new start.
            ["Verify:Policies:payment:MaxAttempts"] = "1",
            ["Verify:Policies:payment:ResendCooldown"] = "00:00:00",
            ["Verify:Authentication:Enabled"] = "true",
            ["Verify:Callers:alpha:ApiKeyHashes:0"] = Hash(AlphaKey),
            ["Verify:Callers:alpha:Purposes:0"] = "*",
            ["Verify:Callers:alpha:Operations:0"] = "*",
            ["Verify:Callers:alpha:Admin"] = "true",
            ["Verify:Callers:beta:ApiKeyHashes:0"] = Hash(BetaKey),
            ["Verify:Callers:beta:Purposes:0"] = "*",
            ["Verify:Callers:beta:Operations:0"] = "*",
            ["Verify:Callers:reader:ApiKeyHashes:0"] = Hash(ReaderKey),
            ["Verify:Callers:reader:Purposes:0"] = "*",
            ["Verify:Callers:reader:Operations:0"] = "*",
            ["Verify:Callers:reader:Admin"] = "true",
        });
        _admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _host.DisposeAsync();
        await _sms.DisposeAsync();
    }

    [Fact]
    public async Task Erase_Number_RecordsGoneNumberOnlyInItsStatesKeyAndLimitsStillHold()
    {
        var verify = new VerificationService.VerificationServiceClient(_host.Channel);
        var admin = new AdminService.AdminServiceClient(_host.Channel);

        // Two callers on login (a slot each), one on signup; a wrong code on login, a lockout on signup.
        var alphaLogin = await StartAsync(verify, "login", AlphaKey);
        Assert.False((await verify.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = alphaLogin, Code = WrongCode() }, Bearer(AlphaKey))).Valid);
        var betaLogin = await StartAsync(verify, "login", BetaKey);
        var signup = await StartAsync(verify, "signup", AlphaKey);
        var wrong = WrongCode();
        for (var i = 0; i < 2; i++)
        {
            await verify.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = signup, Code = wrong }, Bearer(AlphaKey));
        }

        var before = DateTimeOffset.UtcNow;
        var erased = await admin.ErasePersonalDataAsync(new ErasePersonalDataRequest { PhoneNumber = Phone }, Bearer(AlphaKey));

        Assert.Equal(3, erased.VerificationsErased);
        var state = Assert.Single(erased.Kept, k => k.What.StartsWith("number state +86 138****5678", StringComparison.Ordinal));
        Assert.InRange(state.Until.ToDateTimeOffset(), before, before.AddDays(1).AddMinutes(1));

        // Every key and value under the prefix: the number (its digits, with or without the country code) only in its state's name.
        var digits = Phone[1..];
        var numberKeys = new List<string>();
        await foreach (var key in _admin.GetServer(redis.ConnectionString).KeysAsync(pattern: _prefix + ":*"))
        {
            if (((string)key!).Contains("13812345678", StringComparison.Ordinal))
            {
                numberKeys.Add(key!);
            }

            foreach (var value in await ValuesAsync(key))
            {
                Assert.DoesNotContain("13812345678", Encoding.Latin1.GetString(value), StringComparison.Ordinal);
            }

            Assert.DoesNotContain(":v:", key.ToString(), StringComparison.Ordinal);
        }

        var stateKey = Assert.Single(numberKeys);
        Assert.EndsWith(":p:+" + digits, stateKey, StringComparison.Ordinal);
        var ttl = (long)await _admin.GetDatabase().ExecuteAsync("PTTL", stateKey);
        Assert.InRange(ttl, 1, (long)TimeSpan.FromDays(1).TotalMilliseconds);

        // The erased verifications are gone for their callers.
        foreach (var (id, key) in new[] { (alphaLogin, AlphaKey), (betaLogin, BetaKey), (signup, AlphaKey) })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => verify.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = id, Code = wrong }, Bearer(key)).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }

        // Erasure lifts no limit: the cooldown on login, the lockout on signup, and the wrong code in a row the login record held.
        var cooldown = await Assert.ThrowsAsync<RpcException>(() => verify.StartVerificationAsync(Start("login"), Bearer(AlphaKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, cooldown.StatusCode);
        var lockout = await Assert.ThrowsAsync<RpcException>(() => verify.StartVerificationAsync(Start("signup"), Bearer(AlphaKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, lockout.StatusCode);
        var counters = await admin.GetCountersAsync(new GetCountersRequest { Subject = new Subject { PhoneNumber = Phone } }, Bearer(AlphaKey));
        Assert.Equal(1, counters.Counters.Single(c => c.Counter == "phone:login").WrongCodesInARow);
        Assert.NotNull(counters.Counters.Single(c => c.Counter == "phone:signup").LockedOutUntil);

        Assert.Contains("audit admin.erase_personal_data caller=alpha purpose=- phone=+86 138****5678 ip=- verification=- outcome=erased:3", _host.AuditLines);
        Assert.DoesNotContain(_host.Logs, l => l.Message.Contains("13812345678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Erase_NumberWithAUsedUpVerification_ANewStartIsStillRefusedUntilItWouldHaveExpired()
    {
        const string other = "+8613912345678";
        var verify = new VerificationService.VerificationServiceClient(_host.Channel);
        var admin = new AdminService.AdminServiceClient(_host.Channel);
        var transaction = new Transaction { Amount = "12.00", Currency = "CNY", Payee = "Shop" };
        var start = new StartVerificationRequest { PhoneNumber = other, Purpose = "payment", Transaction = transaction };
        var usedUp = (await verify.StartVerificationAsync(start, Bearer(AlphaKey))).Verification.Id;
        var check = new CheckVerificationRequest { VerificationId = usedUp, Code = WrongCode(), Transaction = transaction };
        Assert.Equal(VerificationStatus.MaxAttemptsReached, (await verify.CheckVerificationAsync(check, Bearer(AlphaKey))).Status);
        var refusedBefore = await Assert.ThrowsAsync<RpcException>(() => verify.StartVerificationAsync(start, Bearer(AlphaKey)).ResponseAsync);

        var erased = await admin.ErasePersonalDataAsync(new ErasePersonalDataRequest { PhoneNumber = other }, Bearer(AlphaKey));

        Assert.Equal(1, erased.VerificationsErased);
        var refusedAfter = await Assert.ThrowsAsync<RpcException>(() => verify.StartVerificationAsync(start, Bearer(AlphaKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refusedBefore.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, refusedAfter.StatusCode);
    }

    [Fact]
    public async Task Erase_ClientIp_NothingDeletedItsLimitStateReportedAsKept()
    {
        var verify = new VerificationService.VerificationServiceClient(_host.Channel);
        var admin = new AdminService.AdminServiceClient(_host.Channel);
        var started = await StartAsync(verify, "login", AlphaKey, ClientIp);
        var keysBefore = await KeysAsync();

        var before = DateTimeOffset.UtcNow;
        var erased = await admin.ErasePersonalDataAsync(new ErasePersonalDataRequest { ClientIp = ClientIp }, Bearer(AlphaKey));

        Assert.Equal(0, erased.VerificationsErased);
        var sends = Assert.Single(erased.Kept, k => k.What == "ip:login " + ClientIp);
        Assert.InRange(sends.Until.ToDateTimeOffset(), before, before.AddHours(1).AddMinutes(1));
        Assert.Contains(erased.Kept, k => k.What == "ip:countries " + ClientIp);
        Assert.Equal(keysBefore, await KeysAsync());
        Assert.Equal(VerificationStatus.Pending, (await verify.GetVerificationAsync(new GetVerificationRequest { VerificationId = started }, Bearer(AlphaKey))).Status);
        Assert.Contains($"audit admin.erase_personal_data caller=alpha purpose=- phone={ClientIp} ip=- verification=- outcome=erased:0", _host.AuditLines);
    }

    [Fact]
    public async Task Erase_NonAdminCaller_PermissionDeniedNothingErasedAndAudited()
    {
        var verify = new VerificationService.VerificationServiceClient(_host.Channel);
        var admin = new AdminService.AdminServiceClient(_host.Channel);
        var started = await StartAsync(verify, "login", BetaKey);

        var error = await Assert.ThrowsAsync<RpcException>(() => admin.ErasePersonalDataAsync(new ErasePersonalDataRequest { PhoneNumber = Phone }, Bearer(BetaKey)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("audit admin.erase_personal_data caller=beta purpose=- phone=- ip=- verification=- outcome=permissiondenied", _host.AuditLines);
        Assert.Equal(VerificationStatus.Pending, (await verify.GetVerificationAsync(new GetVerificationRequest { VerificationId = started }, Bearer(BetaKey))).Status);
    }

    [Theory]
    [InlineData("138 1234 5678", null, "phone_number")]
    [InlineData(null, "not-an-ip", "client_ip")]
    [InlineData(null, null, "subject")]
    public async Task Erase_BadSubject_InvalidArgumentNamingTheField(string? phone, string? ip, string field)
    {
        var admin = new AdminService.AdminServiceClient(_host.Channel);
        var request = new ErasePersonalDataRequest();
        if (phone is not null)
        {
            request.PhoneNumber = phone;
        }

        if (ip is not null)
        {
            request.ClientIp = ip;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => admin.ErasePersonalDataAsync(request, Bearer(ReaderKey)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
    }

    private static StartVerificationRequest Start(string purpose, string? clientIp = null) =>
        new() { PhoneNumber = Phone, Purpose = purpose, ClientIp = clientIp ?? string.Empty };

    private static async Task<string> StartAsync(VerificationService.VerificationServiceClient client, string purpose, string key, string? clientIp = null) =>
        (await client.StartVerificationAsync(Start(purpose, clientIp), Bearer(key))).Verification.Id;

    /// <summary>A code that is not the last one sent.</summary>
    private string WrongCode()
    {
        var text = _sms.Requests.Last().Json.GetProperty("text").GetString()!;
        var code = CodePattern().Match(text).Value;
        return string.Concat(code[..^1], code[^1] == '0' ? "1" : "0");
    }

    private async Task<List<string>> KeysAsync()
    {
        var keys = new List<string>();
        await foreach (var key in _admin.GetServer(redis.ConnectionString).KeysAsync(pattern: _prefix + ":*"))
        {
            keys.Add(key!);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Everything a key holds, whatever its type.</summary>
    private async Task<List<byte[]>> ValuesAsync(RedisKey key)
    {
        var db = _admin.GetDatabase();
        return await db.KeyTypeAsync(key) switch
        {
            RedisType.String => [(byte[])(await db.StringGetAsync(key))!],
            RedisType.Hash => [.. (await db.HashGetAllAsync(key)).SelectMany(e => new[] { (byte[])e.Name!, (byte[])e.Value! })],
            RedisType.SortedSet => [.. (await db.SortedSetRangeByRankAsync(key)).Select(e => (byte[])e!)],
            var type => throw new InvalidOperationException($"{key} is a {type}, which Verify does not write."),
        };
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
