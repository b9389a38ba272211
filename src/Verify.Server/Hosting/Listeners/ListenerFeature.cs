namespace Verify.Server.Hosting.Listeners;

/// <summary>
/// Set on each connection by the connection middleware of the Kestrel endpoint it arrived on; a request reads it
/// through its features, which fall back to the connection's.
/// </summary>
internal sealed class ListenerFeature(string name)
{
    public string Name { get; } = name;
}
