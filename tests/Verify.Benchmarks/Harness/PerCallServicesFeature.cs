using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Verify.Benchmarks.Harness;

/// <summary>
/// Request services as hosting provides them: a <see cref="RequestServicesFeature"/> (and with it a
/// scope) created on first use in a call and disposed at its end. Kept as one registered feature so
/// the feature collection never changes between calls, as Kestrel's does not.
/// </summary>
internal sealed class PerCallServicesFeature(IServiceScopeFactory scopes) : IServiceProvidersFeature
{
    private RequestServicesFeature? _current;

    public HttpContext? Context { get; set; }

    public IServiceProvider RequestServices
    {
        get => (_current ??= new RequestServicesFeature(Context!, scopes)).RequestServices;
        set => throw new NotSupportedException("The benchmark does not replace request services.");
    }

    public ValueTask EndCallAsync()
    {
        var current = _current;
        _current = null;
        return current?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
