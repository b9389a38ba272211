using Google.Protobuf.Reflection;

namespace Verify.Grpc;

/// <summary>
/// A service implementation that binds its own methods, as grpc-dotnet's generated
/// <c>BindService</c> does: <see cref="Descriptor"/> is the service in its proto file (from the
/// generated <c>...Reflection.Descriptor</c>), <see cref="BindService"/> maps each method to a handler.
/// </summary>
public interface IGrpcService<TSelf>
    where TSelf : class, IGrpcService<TSelf>
{
    static abstract ServiceDescriptor Descriptor { get; }

    static abstract void BindService(GrpcServiceBinder<TSelf> binder);
}
