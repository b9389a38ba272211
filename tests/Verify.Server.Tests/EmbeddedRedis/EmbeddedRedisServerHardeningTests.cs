using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using Verify.EmbeddedRedis;

namespace Verify.Server.Tests.EmbeddedRedis;

/// <summary>
/// What a local process holding (or guessing at) the embedded server's port can do: scripts are sandboxed as
/// on Redis 7, a bad script or argument answers an error instead of ending the process, and a connection
/// without the password cannot make the server allocate or hold it.
/// </summary>
public sealed class EmbeddedRedisServerHardeningTests : IDisposable
{
    private readonly EmbeddedRedisServer _server = new();
    private ConnectionMultiplexer? _connection;

    // Past the 5 s a script may run: on a loaded machine the script's stop must reach the client before it gives up.
    private IDatabase Database => (_connection ??= ConnectionMultiplexer.Connect(_server.ConnectionString + ",syncTimeout=30000,asyncTimeout=30000")).GetDatabase();

    [Theory]
    [InlineData("os")]
    [InlineData("io")]
    [InlineData("debug")]
    [InlineData("package")]
    [InlineData("require")]
    [InlineData("load")]
    [InlineData("loadfile")]
    [InlineData("dofile")]
    [InlineData("collectgarbage")]
    public async Task Script_CannotReachTheHost(string global) =>
        Assert.Equal("nil", (string?)await Database.ScriptEvaluateAsync($"return tostring(rawget(_G, '{global}'))"));

    [Fact]
    public async Task Script_CannotDumpFunctions() =>
        Assert.Equal("nil", (string?)await Database.ScriptEvaluateAsync("return type(string.dump)"));

    [Fact]
    public async Task Script_CannotRunAShellCommand()
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Database.ScriptEvaluateAsync("return os.execute('true')"));

        Assert.Contains("nonexistent global variable os", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_CannotLeaveAGlobalForTheNext()
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Database.ScriptEvaluateAsync("left_behind = 42 return 1"));

        Assert.Contains("create global variable left_behind", error.Message, StringComparison.Ordinal);
        Assert.Equal("nil", (string?)await Database.ScriptEvaluateAsync("return tostring(rawget(_G, 'left_behind'))"));
    }

    [Theory]
    [InlineData("redis = { call = function() return { ok = 'hijacked' } end } return 1")]
    [InlineData("redis.call = function() return { ok = 'hijacked' } end return 1")]
    [InlineData("string.format = nil return 1")]
    [InlineData("getmetatable('').__index = {} return 1")]
    public async Task Script_CannotChangeWhatTheNextOneSees(string tampering)
    {
        await Assert.ThrowsAsync<RedisServerException>(() => Database.ScriptEvaluateAsync(tampering));

        Assert.Equal("OK", (string?)await Database.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], string.format('%d', 1)).ok", ["k"]));
    }

    [Theory]
    [InlineData("return redis.pcall('SET', KEYS[1], 'v', 'PX', '99999999999999999999').err", "ERR value is not an integer or out of range")]
    [InlineData("local ok, message = pcall(cmsgpack.unpack, string.char(0xdb, 0xff, 0xff, 0xff, 0xff)) return tostring(ok)", "false")]
    [InlineData("local ok, message = pcall(cmsgpack.unpack, string.char(0x81, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1, 1)) return tostring(ok)", "true")]
    public async Task Script_WithAnOverflowOrBadData_AnswersAnErrorAndTheServerGoesOn(string script, string expected)
    {
        Assert.Equal(expected, (string?)await Database.ScriptEvaluateAsync(script, ["k"]));

        Assert.Equal("PONG", (string?)await Database.ExecuteAsync("PING"));
    }

    [Fact]
    public async Task Script_ThatNeverEnds_IsStoppedAndTheServerGoesOn()
    {
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Database.ScriptEvaluateAsync("while true do end"));

        Assert.Contains("ran longer than", error.Message, StringComparison.Ordinal);
        Assert.Equal("PONG", (string?)await Database.ExecuteAsync("PING"));
    }

    [Theory]
    [InlineData("*1048576\r\n")]
    [InlineData("*2\r\n$4\r\nAUTH\r\n$536870912\r\n")]
    [InlineData("*11\r\n")]
    public async Task Unauthenticated_LargeCommand_ClosesTheConnectionBeforeAllocating(string header)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.EndPoint);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(header));

        Assert.Equal(0, await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("PONG", (string?)await Database.ExecuteAsync("PING"));
    }

    [Fact]
    public async Task Connections_BeyondTheLimit_AreClosed_AndServedAgainOnceOthersEnd()
    {
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < EmbeddedRedisServer.MaxConnections; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(_server.EndPoint);
                held.Add(client);
            }

            using var extra = new TcpClient();
            await extra.ConnectAsync(_server.EndPoint);
            Assert.Equal(0, await extra.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            held.ForEach(client => client.Dispose());
        }

        // The closed connections end their tasks; the next connection is served.
        for (var attempt = 0; attempt < 50 && _connection is null; attempt++)
        {
            try
            {
                _connection = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal("PONG", (string?)await Database.ExecuteAsync("PING"));
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _server.Dispose();
    }
}
