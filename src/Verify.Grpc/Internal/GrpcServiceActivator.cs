using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Verify.Grpc.Internal;

/// <summary>
/// Gives a call its service instance. A singleton is resolved once from the root provider, so a call
/// does not create (and dispose) a request scope it never uses; any other lifetime is resolved per
/// call from the request's services, as grpc-dotnet does.
/// </summary>
internal sealed class GrpcServiceActivator<TService>
    where TService : class
{
    private readonly IServiceProvider? _root;
    private TService? _singleton;

    public GrpcServiceActivator(IServiceProvider root, GrpcServiceLifetimes lifetimes)
    {
        if (lifetimes.IsSingleton(typeof(TService)))
        {
            _root = root;
        }
    }

    public TService Resolve(HttpContext httpContext) =>
        _root is null
            ? httpContext.RequestServices.GetRequiredService<TService>()
            : _singleton ??= _root.GetRequiredService<TService>();
}
