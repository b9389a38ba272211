using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>
/// A real redis-server on a free loopback port, in its own temporary directory, stopped (and the
/// directory removed) on dispose. Extra arguments go on the command line (e.g. "--appendonly yes").
/// </summary>
internal sealed class RedisServerProcess : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(10);

    private readonly string[] _arguments;
    private Process? _process;

    private RedisServerProcess(int port, string directory, string[] arguments)
    {
        Port = port;
        Directory = directory;
        _arguments = arguments;
    }

    public int Port { get; }

    public string Directory { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public static RedisServerProcess Start(params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = Path.Combine(Path.GetTempPath(), "verify-redis-" + Guid.NewGuid().ToString("N")[..12]);
            System.IO.Directory.CreateDirectory(directory);
            var server = new RedisServerProcess(FreePort.Next(), directory, arguments);
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
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", Directory, "--save", "", "--daemonize", "no", .. _arguments])
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

    /// <summary>One inline command over a fresh connection; the raw reply (one read), or null.</summary>
    public string? TryCommand(string command)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            var stream = client.GetStream();
            stream.ReadTimeout = 2000;
            stream.Write(Encoding.ASCII.GetBytes(command + "\r\n"));
            var buffer = new byte[4096];
            var read = stream.Read(buffer, 0, buffer.Length);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            return null;
        }
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
