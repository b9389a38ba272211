using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Verify.EmbeddedRedis;

/// <summary>
/// A Redis-protocol server inside the process, on a free loopback port, for development and tests: the
/// commands Verify's store and scripts use, and EVAL/EVALSHA running the same Lua scripts as redis-server
/// (on Lua 5.4). One command or script runs at a time, so a script is atomic as on Redis. Nothing is kept
/// on disk. Every connection must AUTH with the password made for this instance, so another local process
/// cannot read or change it.
/// </summary>
public sealed class EmbeddedRedisServer : IDisposable
{
    /// <summary>Connections served at once; Verify's client opens two, tests a few more.</summary>
    public const int MaxConnections = 64;

    private readonly object _gate = new();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CommandSet _commands;
    private readonly LuaScripting _scripting = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private bool _disposed;

    /// <param name="time">The clock of expiries and TIME; a test may move it by hand.</param>
    public EmbeddedRedisServer(TimeProvider? time = null)
    {
        _commands = new CommandSet(new Keyspace(time ?? TimeProvider.System), _scripting);
        _scripting.Bind(arguments => _commands.Execute(arguments, fromScript: true));
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A StackExchange.Redis configuration for this server.</summary>
    public string ConnectionString => $"{EndPoint},password={Password},configChannel=,tiebreaker=";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _listener.Stop();
        Task[] running;
        lock (_connections)
        {
            running = [_accepting, .. _connections];
        }

        Task.WaitAll(running.Select(task => task.ContinueWith(static _ => { }, TaskScheduler.Default)).ToArray(), TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            _scripting.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.RemoveAll(task => task.IsCompleted);
                if (_connections.Count >= MaxConnections)
                {
                    // The store needs a handful; a flood of connections is refused rather than served.
                    client.Dispose();
                    continue;
                }

                _connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new RespRequestReader(stream);
        var output = new MemoryStream();
        var authenticated = false;
        try
        {
            while (await reader.ReadAsync(_stopping.Token).ConfigureAwait(false) is { } arguments)
            {
                var name = arguments.Length == 0 ? "" : Encoding.ASCII.GetString(arguments[0]).ToUpperInvariant();
                RespReply reply;
                if (name == "AUTH")
                {
                    authenticated = arguments.Length is 2 or 3 && CryptographicOperations.FixedTimeEquals(arguments[^1], Encoding.ASCII.GetBytes(Password));
                    reader.Authenticated = authenticated;
                    reply = authenticated ? RespReply.Ok : new RespReply.Error("WRONGPASS invalid username-password pair or user is disabled.");
                }
                else if (!authenticated)
                {
                    reply = new RespReply.Error("NOAUTH Authentication required.");
                }
                else if (name == "QUIT")
                {
                    await WriteAsync(stream, output, RespReply.Ok).ConfigureAwait(false);
                    return;
                }
                else
                {
                    lock (_gate)
                    {
                        reply = _disposed ? new RespReply.Error("ERR server is stopping") : _commands.Execute(arguments, fromScript: false);
                    }
                }

                await WriteAsync(stream, output, reply).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or InvalidDataException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            // The client went away, sent something that is not RESP, or the server is stopping: the connection ends.
        }
    }

    private async Task WriteAsync(NetworkStream stream, MemoryStream output, RespReply reply)
    {
        output.SetLength(0);
        reply.WriteTo(output);
        await stream.WriteAsync(output.GetBuffer().AsMemory(0, (int)output.Length), _stopping.Token).ConfigureAwait(false);
    }
}
