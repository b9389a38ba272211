using System.Diagnostics;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>A 3-master Redis Cluster on free loopback ports (no replicas), made with redis-cli --cluster create.</summary>
public sealed class RedisClusterFixture : RedisStoreSource
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(20);

    private readonly List<RedisServerProcess> _nodes = [];

    public RedisClusterFixture()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(RedisServerProcess.Start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--maxmemory-policy", "noeviction"));
        }

        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--cluster", "create", .. _nodes.Select(n => n.EndPoint), "--cluster-replicas", "0", "--cluster-yes"])
        {
            create.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(create)!)
        {
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
            }
        }

        var waited = Stopwatch.StartNew();
        while (!_nodes.TrueForAll(n => n.TryCommand("CLUSTER INFO")?.Contains("cluster_state:ok", StringComparison.Ordinal) == true))
        {
            if (waited.Elapsed > ReadyBound)
            {
                throw new InvalidOperationException("the cluster did not reach cluster_state:ok");
            }

            Thread.Sleep(100);
        }
    }

    public override string ConnectionString => string.Join(',', _nodes.Select(n => n.EndPoint));

    internal IReadOnlyList<RedisServerProcess> Nodes => _nodes;

    public override void Dispose()
    {
        base.Dispose();
        _nodes.ForEach(n => n.Dispose());
    }
}
