using Microsoft.Extensions.Primitives;

namespace Verify.Delivery.Configuration;

/// <summary>
/// A value built from configuration and built again on every reload, so the security team's changes
/// apply without a restart. A build that reports errors is refused: one log line per error (each
/// names its key), the last good value stays in force, and <see cref="Reloaded"/> says so. At start
/// an invalid configuration throws, which stops the service with the keys to fix.
/// </summary>
internal sealed partial class ReloadingSnapshot<T> : IDisposable
    where T : class
{
    private readonly string _section;
    private readonly Func<IConfiguration, (T? Value, List<string> Errors)> _build;
    private readonly Func<T, string> _describe;
    private readonly ILogger _logger;
    private readonly IDisposable _registration;
    private volatile T _current;

    public ReloadingSnapshot(
        string section,
        IConfiguration configuration,
        Func<IConfiguration, (T? Value, List<string> Errors)> build,
        Func<T, string> describe,
        ILogger logger)
    {
        _section = section;
        _build = build;
        _describe = describe;
        _logger = logger;
        var (value, errors) = build(configuration);
        _current = value ?? throw new InvalidOperationException($"Invalid {section}: " + string.Join("; ", errors));
        _registration = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload(configuration));
    }

    /// <summary>Raised after each reload: the section name, and whether the new value was accepted.</summary>
    public event Action<string, bool>? Reloaded;

    public T Current => _current;

    public void Dispose() => _registration.Dispose();

    private void Reload(IConfiguration configuration)
    {
        var (value, errors) = _build(configuration);
        if (value is null)
        {
            foreach (var error in errors)
            {
                Log.ReloadRefused(_logger, _section, error);
            }

            Reloaded?.Invoke(_section, false);
            return;
        }

        _current = value;
        Log.ReloadAccepted(_logger, _section, _describe(value));
        Reloaded?.Invoke(_section, true);
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Error, "Configuration reload refused, the previous {Section} stay in force: {Error}")]
        public static partial void ReloadRefused(ILogger logger, string section, string error);

        [LoggerMessage(101, LogLevel.Information, "{Section} reloaded: {Summary}")]
        public static partial void ReloadAccepted(ILogger logger, string section, string summary);
    }
}
