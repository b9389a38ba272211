using Google.Protobuf.Reflection;

namespace Verify.Grpc.Internal;

/// <summary>A bound method: its path, its descriptor, and the tag values its telemetry carries.</summary>
internal sealed class GrpcMethodDescription(MethodDescriptor descriptor)
{
    public MethodDescriptor Descriptor { get; } = descriptor;

    public string ServiceName { get; } = descriptor.Service.FullName;

    public string MethodName { get; } = descriptor.Name;

    public string Path { get; } = $"/{descriptor.Service.FullName}/{descriptor.Name}";

    /// <summary>"/package.Service/": a path starting so names a known service.</summary>
    public string ServicePathPrefix { get; } = $"/{descriptor.Service.FullName}/";
}
