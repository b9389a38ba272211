using Microsoft.AspNetCore.Http;

namespace Verify.Server.Hosting.Listeners;

/// <summary>
/// Verify's three Kestrel endpoints, by their names under <c>Kestrel:Endpoints</c>. Each route answers on exactly one:
/// gRPC on <see cref="Grpc"/>, provider receipts on <see cref="Http"/> (the port that faces the internet),
/// probes and metrics on <see cref="Management"/> (the port only the platform reaches).
/// </summary>
internal static class VerifyListeners
{
    public const string Grpc = "Grpc";
    public const string Http = "Http";
    public const string Management = "Management";

    public static readonly IReadOnlyList<string> All = [Grpc, Http, Management];

    /// <summary>What answers on each listener, for the log and for the message when one is missing.</summary>
    public static string Routes(string listener) => listener switch
    {
        Grpc => "gRPC (verification, admin, health, reflection)",
        Http => "/delivery/receipts/{provider}",
        Management => "/healthz, /readyz, /metrics",
        _ => "nothing",
    };

    public static string UrlKey(string listener) => $"Kestrel:Endpoints:{listener}:Url";

    /// <summary>
    /// Two of the listeners on one address: Kestrel would fail to bind the second with "address already in use",
    /// which names neither key; and were it to succeed (e.g. a wildcard beside a specific address) the connection
    /// would reach whichever bound more specifically, so a route could not be told which listener it is on.
    /// Port 0 asks for a free port each time, so two listeners on port 0 never share one.
    /// </summary>
    public static IEnumerable<string> FindProblems(IConfiguration configuration)
    {
        var configured = All
            .Select(name => (Name: name, Url: configuration[UrlKey(name)]))
            .Where(listener => !string.IsNullOrWhiteSpace(listener.Url))
            .ToList();
        for (var i = 0; i < configured.Count; i++)
        {
            for (var j = i + 1; j < configured.Count; j++)
            {
                if (Overlap(configured[i].Url!, configured[j].Url!))
                {
                    yield return $"{UrlKey(configured[j].Name)}: {configured[j].Url} is also {UrlKey(configured[i].Name)} ({configured[i].Url}); " +
                        $"each listener needs an address of its own ({configured[i].Name}: {Routes(configured[i].Name)}; {configured[j].Name}: {Routes(configured[j].Name)})";
                }
            }
        }
    }

    private static bool Overlap(string first, string second)
    {
        BindingAddress a, b;
        try
        {
            a = BindingAddress.Parse(first);
            b = BindingAddress.Parse(second);
        }
        catch (FormatException)
        {
            // Kestrel names the malformed URL itself when it loads the endpoint.
            return false;
        }

        if (a.IsUnixPipe || b.IsUnixPipe || a.IsNamedPipe || b.IsNamedPipe)
        {
            return string.Equals(a.ToString(), b.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        return a.Port != 0 && a.Port == b.Port && HostsOverlap(a.Host, b.Host);
    }

    private static bool HostsOverlap(string first, string second) =>
        string.Equals(first, second, StringComparison.OrdinalIgnoreCase)
        || IsWildcard(first) || IsWildcard(second)
        || (IsLocalhost(first) && IsLoopback(second)) || (IsLocalhost(second) && IsLoopback(first));

    // What Kestrel binds to every interface: "*", "+", any host name it cannot parse as an address, and the "any" addresses.
    private static bool IsWildcard(string host) =>
        !IsLocalhost(host) && (!System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address)
            || address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any));

    private static bool IsLocalhost(string host) => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopback(string host) =>
        IsLocalhost(host) || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
