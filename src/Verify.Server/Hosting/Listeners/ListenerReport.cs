namespace Verify.Server.Hosting.Listeners;

/// <summary>
/// Once Kestrel has bound: where each listener is and what answers there, or that one is not configured and its
/// routes answer nowhere (a deliberate setup, e.g. no Management port where nothing scrapes; say it anyway).
/// </summary>
internal sealed partial class ListenerReport(ListenerEndPoints listeners, IHostApplicationLifetime lifetime, ILogger<ListenerReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Hosted services start before the server binds: the addresses are known once the application has started.
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        foreach (var listener in VerifyListeners.All)
        {
            if (listeners.IsConfigured(listener))
            {
                Log.Listening(logger, listener, listeners.Of(listener)?.ToString() ?? "a non-IP endpoint", VerifyListeners.Routes(listener));
            }
            else
            {
                Log.NotConfigured(logger, VerifyListeners.UrlKey(listener), VerifyListeners.Routes(listener));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(505, LogLevel.Information, "Listener {Listener} on {EndPoint}: {Routes}.")]
        public static partial void Listening(ILogger logger, string listener, string endPoint, string routes);

        [LoggerMessage(506, LogLevel.Warning, "{Key} is not configured: {Routes} answer on no port.")]
        public static partial void NotConfigured(ILogger logger, string key, string routes);
    }
}
