using System.Threading.Channels;
using Verify.Grpc.Health.V1;
using ServingStatus = Verify.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Verify.Grpc.Health;

/// <summary>
/// The serving status the host reports per service name ("" for the whole server), read by
/// <c>grpc.health.v1.Health</c>. The host drives it from its readiness (Verify: the store).
/// </summary>
public sealed class GrpcHealthStatus
{
    public const string Server = "";

    private readonly Lock _sync = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [Server] = ServingStatus.Serving };
    private readonly List<(string Service, Channel<ServingStatus> Channel)> _watchers = [];

    /// <summary>Sets a status; watchers of that name hear of the change.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_sync)
        {
            if (_statuses.TryGetValue(service, out var current) && current == status)
            {
                return;
            }

            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Forgets a name: Check answers NOT_FOUND, Watch SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        lock (_sync)
        {
            if (_statuses.Remove(service))
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }
        }
    }

    public bool TryGetStatus(string service, out ServingStatus status)
    {
        lock (_sync)
        {
            return _statuses.TryGetValue(service, out status);
        }
    }

    /// <summary>The current status at once, then each change, until cancelled.</summary>
    public async IAsyncEnumerable<ServingStatus> WatchAsync(string service, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Only the newest status matters to a watcher, so a slow one skips the ones in between.
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_sync)
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(service, out var current) ? current : ServingStatus.ServiceUnknown);
            _watchers.Add((service, channel));
        }

        try
        {
            ServingStatus? last = null;
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var status))
                {
                    if (status != last)
                    {
                        last = status;
                        yield return status;
                    }
                }
            }
        }
        finally
        {
            lock (_sync)
            {
                _watchers.RemoveAll(w => w.Channel == channel);
            }
        }
    }

    private void Notify(string service, ServingStatus status)
    {
        foreach (var (name, channel) in _watchers)
        {
            if (name == service)
            {
                channel.Writer.TryWrite(status);
            }
        }
    }
}
