namespace Verify.Delivery;

/// <summary>
/// The sender the engine sees: picks the route for the message's purpose, country and channel, and
/// tries its providers in order until one takes the message. Each provider is tried at most once per
/// send (one <see cref="SmsMessage.SendId"/>), so a failover never texts the user twice from one provider;
/// providers that take an idempotency key get the send id as well.
/// </summary>
internal sealed partial class DeliveryRouter(DeliveryCatalog catalog, DeliveryProviders providers, ILogger<DeliveryRouter> logger) : ISmsSender
{
    private readonly DeliveryCatalog _catalog = catalog;
    private readonly IReadOnlyDictionary<string, ProviderGate> _gates = providers.Gates;
    private readonly ILogger<DeliveryRouter> _logger = logger;

    public string Name => "router";

    /// <summary>Whether a route serves this purpose, country and channel with a provider that can (a start nothing can serve is refused before anything is counted).</summary>
    public bool CanServe(string purpose, string regionCode, DeliveryChannel channel) =>
        _catalog.Current.RouteFor(purpose, regionCode, channel) is { } route
        && route.Providers.Any(name => _gates[name].Sender.CanServe(purpose, regionCode, channel));

    public async Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var settings = _catalog.Current;
        var route = settings.RouteFor(message.Purpose, message.Phone.RegionCode, message.Channel);
        if (route is null)
        {
            Log.NoRoute(_logger, message.VerificationId, message.Purpose, message.Phone.RegionCode, message.Channel);
            return SendResult.Failure("no provider serves this purpose, country and channel");
        }

        List<string>? failures = null;
        foreach (var name in route.Providers)
        {
            var gate = _gates[name];
            if (!gate.Sender.CanServe(message.Purpose, message.Phone.RegionCode, message.Channel))
            {
                // E.g. a provider for mainland China only, in a route that also serves other countries.
                continue;
            }

            var result = await AttemptAsync(gate, message, settings.Providers[name].Guards, cancellationToken);
            if (result.Accepted)
            {
                if (failures is not null)
                {
                    Log.FailedOver(_logger, message.VerificationId, name, failures.Count);
                }

                return result with { Provider = name };
            }

            Log.ProviderFailed(_logger, message.VerificationId, message.MaskedTo, name, result.Error ?? "refused");
            (failures ??= []).Add(result.Error ?? $"{name}: refused");
        }

        return failures is null
            ? SendResult.Rejected("no provider of the route serves this destination")
            : SendResult.Failure(string.Join("; ", failures)) with { Provider = route.Providers[^1] };
    }

    private static partial class Log
    {
        [LoggerMessage(320, LogLevel.Error, "Verification {Id}: no route serves purpose {Purpose}, country {Country}, channel {Channel}; see Verify:Delivery:Routes.")]
        public static partial void NoRoute(ILogger logger, string id, string purpose, string country, DeliveryChannel channel);

        [LoggerMessage(321, LogLevel.Warning, "Verification {Id} to {MaskedPhone}: provider {Provider} did not take the message ({Reason}).")]
        public static partial void ProviderFailed(ILogger logger, string id, string maskedPhone, string provider, string reason);

        [LoggerMessage(322, LogLevel.Information, "Verification {Id}: sent through {Provider} after {Failures} provider(s) failed.")]
        public static partial void FailedOver(ILogger logger, string id, string provider, int failures);
    }
}
