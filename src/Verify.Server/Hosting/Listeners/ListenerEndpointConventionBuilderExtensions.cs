namespace Verify.Server.Hosting.Listeners;

internal static class ListenerEndpointConventionBuilderExtensions
{
    /// <summary>The routes of <paramref name="builder"/> answer on the Kestrel endpoint named <paramref name="listener"/> only (<see cref="ListenerMatcherPolicy"/>).</summary>
    public static TBuilder RequireListener<TBuilder>(this TBuilder builder, string listener)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ListenerMetadata(listener));
}
