using System.Globalization;
using Verify.Engine.Storage.Redis;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;
using Xunit.Abstractions;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// The Redis store on a 3-master Redis Cluster: numbers spread over every master (no hot node), and
/// a number's record lives in its state's hash slot, so each script stays on one node.
/// </summary>
public sealed class RedisClusterStoreIntegrationTests(RedisClusterFixture cluster, ITestOutputHelper output)
    : IClassFixture<RedisClusterFixture>, IDisposable
{
    private const int Numbers = 30;

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..10];
    private VerifierFixture? _fixture;

    private VerifierFixture Fixture => _fixture ??= new VerifierFixture(store: _ => cluster.CreateStore(_prefix));

    public void Dispose() => _fixture?.Dispose();

    [Fact]
    public async Task Start_ManyNumbers_RecordsSpreadOverAllThreeMasters()
    {
        await StartManyAsync();

        var perNode = cluster.Nodes.Select(node => (node.EndPoint, Records: RecordKeysOn(node.EndPoint).Count)).ToList();

        foreach (var (endPoint, records) in perNode)
        {
            output.WriteLine($"{endPoint}: {records} of {Numbers} records");
        }

        Assert.Equal(3, perNode.Count);
        Assert.All(perNode, node => Assert.True(node.Records > 0, $"{node.EndPoint} holds no record"));
        Assert.Equal(Numbers, perNode.Sum(node => node.Records));
    }

    [Fact]
    public async Task Start_ManyNumbers_EachRecordSharesItsNumberStatesHashSlotAndNode()
    {
        var records = await StartManyAsync();
        var keys = new RedisKeys(_prefix);
        var keysByNode = cluster.Nodes.ToDictionary(node => node.EndPoint, node => AllKeysOn(node.EndPoint));
        var anyNode = cluster.Nodes[0];

        foreach (var record in records)
        {
            var recordKey = (string)keys.Record(record.Id)!;
            var phoneKey = (string)keys.Number(record.PhoneNumber)!;

            Assert.Equal(KeySlot(anyNode, recordKey), KeySlot(anyNode, phoneKey));
            var holder = Assert.Single(keysByNode, node => node.Value.Contains(recordKey)).Key;
            Assert.Contains(phoneKey, keysByNode[holder]);
        }
    }

    private static int KeySlot(RedisServerProcess node, string key)
    {
        var reply = node.TryCommand("CLUSTER KEYSLOT " + key);
        Assert.NotNull(reply);
        Assert.StartsWith(":", reply);
        return int.Parse(reply.AsSpan(1).Trim(), CultureInfo.InvariantCulture);
    }

    private async Task<List<VerificationRecord>> StartManyAsync()
    {
        var records = new List<VerificationRecord>();
        for (var i = 0; i < Numbers; i++)
        {
            // One client IP each: the default policy allows 20 starts an hour from one IP.
            var phone = "+86138123457" + i.ToString("00", CultureInfo.InvariantCulture);
            records.Add(await Fixture.StartedAsync(Fixture.Start(phone: phone, clientIp: "203.0.113." + (i + 1).ToString(CultureInfo.InvariantCulture))));
        }

        return records;
    }

    private HashSet<string> AllKeysOn(string endPoint) =>
        [.. cluster.Multiplexer.GetServer(endPoint).Keys(pattern: _prefix + ":*", pageSize: 1000).Select(k => (string)k!)];

    private List<string> RecordKeysOn(string endPoint) => [.. AllKeysOn(endPoint).Where(k => k.Contains(":v:", StringComparison.Ordinal))];
}
