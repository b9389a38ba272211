namespace Verify.Server.Hosting.Listeners;

/// <summary>Endpoint metadata: the one listener (Kestrel endpoint name) this route answers on.</summary>
internal sealed class ListenerMetadata(string name)
{
    public string Name { get; } = name;
}
