using StackExchange.Redis;
using Verify.Engine.Codes;
using Verify.Engine.Storage.Redis;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// Codes sent by the release before this one, whose HMAC bound the verification id (32 bytes, no version
/// byte), as a rolling upgrade leaves them in Redis: still approved, still counted, by id and by number.
/// The record is the one this release wrote, with its code hash put back in the old form.
/// (<c>tests/interop/python/test_upgrade.py</c> runs the previous release itself beside this one.)
/// </summary>
public sealed class RedisLegacyHashIntegrationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private const string Phone = "+8613812345678";

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..10];
    private VerifierFixture? _engine;

    private VerifierFixture Engine => _engine ??= new(store: _ => redis.CreateStore(_prefix));

    public void Dispose() => _engine?.Dispose();

    [Fact]
    public async Task LegacyCode_CheckedById_IsApprovedOnce()
    {
        var record = await StartedWithLegacyHashAsync();

        var check = await Engine.CheckedAsync(record.Id, Engine.Capture.LastCode);

        Assert.True(check.Valid);
        Assert.IsType<CheckOutcome.NotFound>(await Engine.CheckAsync(record.Id, Engine.Capture.LastCode));
    }

    [Fact]
    public async Task LegacyCode_CheckedByNumber_IsApproved()
    {
        var record = await StartedWithLegacyHashAsync();

        var check = await Engine.Verifier.CheckAsync(ByNumber(Engine.Capture.LastCode), CancellationToken.None);

        Assert.True(Assert.IsType<CheckOutcome.Checked>(check).Valid);
        Assert.Equal(record.Id, ((CheckOutcome.Checked)check).Record.Id);
    }

    [Fact]
    public async Task LegacyCode_WrongCodes_AreCountedAsBefore()
    {
        var record = await StartedWithLegacyHashAsync();
        var wrong = VerifierFixture.WrongCode(Engine.Capture.LastCode);

        var first = await Engine.CheckedAsync(record.Id, wrong);
        var second = Assert.IsType<CheckOutcome.Checked>(await Engine.Verifier.CheckAsync(ByNumber(wrong), CancellationToken.None));

        Assert.Equal(4, first.Record.AttemptsRemaining);
        Assert.Equal(3, second.Record.AttemptsRemaining);
        Assert.False(second.Valid);
    }

    private CheckInput ByNumber(string code) => new(null, VerifierFixture.Phone(Phone), "login", code, null, null);

    private async Task<VerificationRecord> StartedWithLegacyHashAsync()
    {
        var record = await Engine.StartedAsync(Engine.Start(phone: Phone));
        var legacy = new CodeHasher(Engine.Keys).HashesWithEveryKey(Engine.Capture.LastCode, null, legacyVerificationId: record.Id)
            .Single(h => h.KeyId == record.Code.KeyId);
        var key = new RedisKeys(_prefix).Record(record.Id);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();
        var stored = RedisRecordCodec.Decode(record.Id, (byte[])(await database.StringGetAsync(key))!);
        Assert.Equal(33, stored.Code.Hash.Length);
        Assert.True(await database.StringSetAsync(key, RedisRecordCodec.Encode(stored with { Code = stored.Code with { Hash = legacy.Code } }), expiry: null, keepTtl: true));
        return record;
    }
}
