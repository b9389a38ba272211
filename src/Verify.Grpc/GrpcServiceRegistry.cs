using Google.Protobuf.Reflection;

namespace Verify.Grpc;

/// <summary>
/// The services mapped on this server and the proto files that define them; reflection serves these
/// files, and a call to an unknown method of a known service says "Method is unimplemented".
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Lock _sync = new();
    private readonly List<ServiceDescriptor> _services = [];
    private readonly List<FileDescriptor> _extraFiles = [];
    private int _unimplementedClaimed;

    public IReadOnlyList<ServiceDescriptor> Services
    {
        get
        {
            lock (_sync)
            {
                return [.. _services];
            }
        }
    }

    /// <summary>Files served by reflection besides those of the services, such as error detail types.</summary>
    public IReadOnlyList<FileDescriptor> ExtraFiles
    {
        get
        {
            lock (_sync)
            {
                return [.. _extraFiles];
            }
        }
    }

    public bool IsKnownService(string fullName)
    {
        lock (_sync)
        {
            return _services.Exists(s => s.FullName == fullName);
        }
    }

    public void AddService(ServiceDescriptor service)
    {
        lock (_sync)
        {
            if (_services.Exists(s => s.FullName == service.FullName))
            {
                throw new InvalidOperationException($"Service {service.FullName} is mapped twice.");
            }

            _services.Add(service);
        }
    }

    /// <summary>Makes a proto file (and its dependencies) visible through reflection.</summary>
    public void AddFile(FileDescriptor file)
    {
        lock (_sync)
        {
            if (!_extraFiles.Contains(file))
            {
                _extraFiles.Add(file);
            }
        }
    }

    /// <summary>True once, for the first mapping: the catch-all UNIMPLEMENTED endpoint is mapped once.</summary>
    internal bool TryClaimUnimplementedEndpoint() => Interlocked.Exchange(ref _unimplementedClaimed, 1) == 0;
}
