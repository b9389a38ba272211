using Microsoft.AspNetCore.Routing.Matching;

namespace Verify.Server.Hosting.Listeners;

/// <summary>
/// Keeps a route only on the listener its <see cref="ListenerMetadata"/> names; anywhere else the route does not
/// match, so the answer is routing's 404, as for a path that does not exist.
/// </summary>
/// <remarks>
/// Why not <c>RequireHost("*:8081")</c>: it matches the Host header, which the client writes, so anyone reaching the
/// receipts port could ask for <c>/metrics</c> with <c>Host: x:8081</c>; and with port 0 (tests) the port is not
/// known when routes are mapped. Why not compare <c>HttpContext.Connection.LocalPort</c>: it needs the bound port
/// (port 0 again), and one listener may bind several sockets (<c>localhost</c> is 127.0.0.1 and ::1). The listener
/// the connection came through is set on it by Kestrel's connection middleware for that named endpoint
/// (<see cref="ListenerFeature"/>), before TLS and HTTP: nothing the client sends can change it.
/// Fails closed: a route without the metadata, or a request on a connection without the feature (an endpoint
/// added under another name, or HTTP/3, whose connections skip this middleware), matches nowhere.
/// </remarks>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the HTTP method policy (-1000), with the other selector policies (HostMatcherPolicy is -100).
    public override int Order => -100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var listener = httpContext.Features.Get<ListenerFeature>()?.Name;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (listener is null || candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>()?.Name != listener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
