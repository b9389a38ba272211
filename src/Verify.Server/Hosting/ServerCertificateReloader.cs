using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Verify.Server.Hosting;

/// <summary>
/// The Grpc endpoint's certificate, read again when its files change, so a renewed certificate is
/// served to new connections without a restart. Files are polled (every 4 s), which also sees the
/// symlink swaps Kubernetes makes when it updates a mounted secret. A file that does not load (half
/// written, wrong key) is logged and the previous certificate stays.
/// </summary>
internal sealed partial class ServerCertificateReloader : IDisposable
{
    private readonly string _certificatePath;
    private readonly string? _keyPath;
    private readonly string? _password;
    private readonly ILogger _logger;
    private readonly List<PhysicalFileProvider> _providers = [];
    private readonly List<IDisposable> _registrations = [];
    private volatile X509Certificate2 _current;

    public ServerCertificateReloader(string certificatePath, string? keyPath, string? password, ILogger logger)
    {
        _certificatePath = Path.GetFullPath(certificatePath);
        _keyPath = keyPath is null ? null : Path.GetFullPath(keyPath);
        _password = password;
        _logger = logger;
        _current = Load();
        foreach (var file in new[] { _certificatePath, _keyPath }.OfType<string>().Distinct())
        {
            var provider = new PhysicalFileProvider(Path.GetDirectoryName(file)!) { UsePollingFileWatcher = true, UseActivePolling = true };
            _providers.Add(provider);
            _registrations.Add(ChangeToken.OnChange(() => provider.Watch(Path.GetFileName(file)), Reload));
        }
    }

    public X509Certificate2 Current => _current;

    public void Dispose()
    {
        _registrations.ForEach(r => r.Dispose());
        _providers.ForEach(p => p.Dispose());
    }

    private X509Certificate2 Load()
    {
        var extension = Path.GetExtension(_certificatePath);
        return extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase)
            ? X509CertificateLoader.LoadPkcs12FromFile(_certificatePath, _password)
            : X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
    }

    private void Reload()
    {
        try
        {
            var certificate = Load();
            var previous = _current;
            _current = certificate;
            Log.Reloaded(_logger, _certificatePath, certificate.Subject, certificate.NotAfter, previous.Thumbprint, certificate.Thumbprint);
        }
        catch (Exception exception) when (exception is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            Log.ReloadFailed(_logger, _certificatePath, exception.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(710, LogLevel.Information, "TLS certificate {Path} reloaded: {Subject}, valid until {NotAfter}, thumbprint {OldThumbprint} -> {NewThumbprint}.")]
        public static partial void Reloaded(ILogger logger, string path, string subject, DateTime notAfter, string oldThumbprint, string newThumbprint);

        [LoggerMessage(711, LogLevel.Error, "TLS certificate {Path} changed but does not load ({Error}); the previous certificate stays.")]
        public static partial void ReloadFailed(ILogger logger, string path, string error);
    }
}
