namespace Verify.Server.Hosting;

/// <summary>One reloader per certificate file, kept for the life of the host (Kestrel asks again when its configuration reloads).</summary>
internal sealed class ServerCertificateReloaders(ILoggerFactory loggers) : IDisposable
{
    private readonly Dictionary<string, ServerCertificateReloader> _reloaders = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public ServerCertificateReloader For(string path, string? keyPath, string? password)
    {
        lock (_sync)
        {
            var key = $"{path}|{keyPath}";
            if (!_reloaders.TryGetValue(key, out var reloader))
            {
                reloader = new ServerCertificateReloader(path, keyPath, password, loggers.CreateLogger<ServerCertificateReloader>());
                _reloaders[key] = reloader;
            }

            return reloader;
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            foreach (var reloader in _reloaders.Values)
            {
                reloader.Dispose();
            }
        }
    }
}
