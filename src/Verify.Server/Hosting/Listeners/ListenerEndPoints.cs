using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Verify.Server.Hosting.Listeners;

/// <summary>
/// The listeners Kestrel loaded from <c>Kestrel:Endpoints</c>, by name. Kestrel writes the bound address back into
/// each endpoint's <see cref="ListenOptions"/>, so once the server has started <see cref="Of"/> gives the port it
/// chose for a configured port 0 (the tests' free ports).
/// </summary>
internal sealed class ListenerEndPoints
{
    private readonly ConcurrentDictionary<string, ListenOptions> _listeners = new(StringComparer.Ordinal);

    public void Add(string listener, ListenOptions options) => _listeners[listener] = options;

    public bool IsConfigured(string listener) => _listeners.ContainsKey(listener);

    /// <summary>Where <paramref name="listener"/> listens; null when it is not configured or not on IP.</summary>
    public IPEndPoint? Of(string listener) => _listeners.TryGetValue(listener, out var options) ? options.IPEndPoint : null;
}
