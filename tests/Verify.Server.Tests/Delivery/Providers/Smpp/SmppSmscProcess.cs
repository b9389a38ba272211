using System.Diagnostics;
using System.Text.Json;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>
/// tests/interop/node/smpp-smsc.mjs as a child process: an SMSC built on the npm "smpp" package (an
/// SMPP implementation independent of ours) on 127.0.0.1. It reports what it saw as JSON lines
/// (<see cref="Events"/>) and takes commands as JSON lines (<see cref="CommandAsync"/>). Killed on dispose.
/// </summary>
internal sealed class SmppSmscProcess : IAsyncDisposable
{
    public const string SystemId = "verify";
    public const string Password = "s3cr3t!";

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly List<string> _errors = [];
    private int _commands;

    private SmppSmscProcess(Process process) => _process = process;

    public int Port { get; private set; }

    /// <param name="tls">PEM files of a key and certificate: the SMSC then speaks TLS.</param>
    public static async Task<SmppSmscProcess> StartAsync(string systemId = SystemId, string password = Password, (string KeyPath, string CertificatePath)? tls = null)
    {
        var node = Path.Combine(RepositoryRoot(), "tests", "interop", "node");
        if (!Directory.Exists(Path.Combine(node, "node_modules", "smpp")))
        {
            throw new InvalidOperationException($"{Path.Combine(node, "node_modules", "smpp")} is missing: run npm ci in tests/interop/node");
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = node,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] tlsArguments = tls is { } files ? ["--tls-key", files.KeyPath, "--tls-cert", files.CertificatePath] : [];
        foreach (var argument in (string[])["smpp-smsc.mjs", "--port", "0", "--system-id", systemId, "--password", password, .. tlsArguments])
        {
            info.ArgumentList.Add(argument);
        }

        var smsc = new SmppSmscProcess(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
        smsc._process.OutputDataReceived += (_, line) => smsc.Received(line.Data);
        smsc._process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (smsc._errors)
                {
                    smsc._errors.Add(line.Data);
                }
            }
        };
        smsc._process.BeginOutputReadLine();
        smsc._process.BeginErrorReadLine();
        try
        {
            var listening = await smsc.WaitForAsync("listening");
            smsc.Port = listening.GetProperty("port").GetInt32();
            return smsc;
        }
        catch
        {
            await smsc.DisposeAsync();
            throw;
        }
    }

    /// <summary>Everything reported so far with "event" = <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<JsonElement> Events(string name)
    {
        lock (_events)
        {
            return _events.Where(e => e.GetProperty("event").GetString() == name).ToList();
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> events of that name matching <paramref name="where"/> were reported; answers the last.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? where = null, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matching = Events(name).Where(where ?? (_ => true)).ToList();
            if (matching.Count >= count)
            {
                return matching[count - 1];
            }

            if (deadline.Elapsed > (timeout ?? DefaultWait) || _process.HasExited)
            {
                throw new TimeoutException($"the SMSC reported {matching.Count} of {count} \"{name}\" events; stderr: {string.Join(" | ", Errors())}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends a command (see smpp-smsc.mjs) and waits until the SMSC has carried it out.</summary>
    public async Task CommandAsync(object command)
    {
        var sent = Interlocked.Increment(ref _commands);
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
        await WaitForAsync("done", count: sent);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
        }

        _process.Dispose();
    }

    /// <summary>The folder with Verify.sln, above the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Verify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Verify.sln above {AppContext.BaseDirectory}");
    }

    private void Received(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        try
        {
            var element = JsonDocument.Parse(line).RootElement.Clone();
            lock (_events)
            {
                _events.Add(element);
            }
        }
        catch (JsonException)
        {
            lock (_errors)
            {
                _errors.Add("not JSON: " + line);
            }
        }
    }

    private string[] Errors()
    {
        lock (_errors)
        {
            return [.. _errors];
        }
    }
}
