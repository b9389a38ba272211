using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>
/// A real redis-server on a free loopback port, in its own temporary directory, stopped (and the
/// directory removed) on dispose. Extra arguments go on the command line (e.g. "--appendonly yes").
/// With <see cref="RedisServerTls"/> it listens on TLS only; with admin credentials (an ACL user of an
/// <c>--aclfile</c>, when the default user is off) its own probe logs in as that user.
/// </summary>
internal sealed class RedisServerProcess : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(10);

    private readonly string[] _arguments;
    private readonly RedisServerTls? _tls;
    private readonly (string User, string Password)? _admin;
    private Process? _process;

    private RedisServerProcess(int port, string directory, string[] arguments, RedisServerTls? tls, (string User, string Password)? admin)
    {
        Port = port;
        Directory = directory;
        _arguments = arguments;
        _tls = tls;
        _admin = admin;
    }

    public int Port { get; }

    public string Directory { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public static RedisServerProcess Start(params string[] arguments) => Start(null, null, arguments);

    /// <param name="tls">TLS only, on the free port; null: in the clear.</param>
    /// <param name="admin">The ACL user the probe logs in as; null: the default user, no AUTH.</param>
    public static RedisServerProcess Start(RedisServerTls? tls, (string User, string Password)? admin, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = Path.Combine(Path.GetTempPath(), "verify-redis-" + Guid.NewGuid().ToString("N")[..12]);
            System.IO.Directory.CreateDirectory(directory);
            var server = new RedisServerProcess(FreePort.Next(), directory, arguments, tls, admin);
            try
            {
                server.Restart();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between probe and bind; try another.
                server.Dispose();
            }
        }
    }

    /// <summary>Starts it again on the same port and directory (after <see cref="Kill"/>), so AOF files are read back.</summary>
    public void Restart()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        IEnumerable<string> listen = _tls?.Arguments(Port) ?? ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        foreach (var argument in (string[])[.. listen, "--bind", "127.0.0.1", "--dir", Directory, "--save", "", "--daemonize", "no", .. _arguments])
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartBound)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}");
            }

            if (TryCommand("PING") == "+PONG\r\n")
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException($"redis-server did not answer on port {Port} within {StartBound}");
    }

    /// <summary>SIGKILL: no shutdown save, no goodbye to clients, as a crash.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>One inline command over a fresh connection (TLS and AUTH as the server wants); the raw reply (one read), or null.</summary>
    public string? TryCommand(string command)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            var network = client.GetStream();
            network.ReadTimeout = 2000;
            network.WriteTimeout = 2000;
            using var stream = _tls?.Open(network) ?? network;
            if (_admin is { } admin)
            {
                var login = Send(stream, $"AUTH {admin.User} {admin.Password}");
                if (login != "+OK\r\n")
                {
                    return login;
                }
            }

            return Send(stream, command);
        }
        catch (Exception exception) when (exception is SocketException or IOException or AuthenticationException)
        {
            return null;
        }
    }

    private static string Send(Stream stream, string command)
    {
        stream.Write(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[4096];
        var read = stream.Read(buffer, 0, buffer.Length);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
