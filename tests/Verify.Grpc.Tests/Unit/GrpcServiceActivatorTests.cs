using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Verify.Grpc.Internal;

namespace Verify.Grpc.Tests.Unit;

public sealed class GrpcServiceActivatorTests
{
    [Fact]
    public void Resolve_SingletonService_ComesFromTheRootWithoutARequestScope()
    {
        var services = new ServiceCollection();
        services.AddSingleton<SampleService>();
        using var root = services.BuildServiceProvider();
        var activator = new GrpcServiceActivator<SampleService>(root, new GrpcServiceLifetimes(services));
        var httpContext = new DefaultHttpContext();

        var first = activator.Resolve(httpContext);
        var second = activator.Resolve(new DefaultHttpContext());

        Assert.Same(root.GetRequiredService<SampleService>(), first);
        Assert.Same(first, second);
        Assert.Null(httpContext.RequestServices);
    }

    [Fact]
    public void Resolve_ScopedService_ComesFromEachRequestsServices()
    {
        var services = new ServiceCollection();
        services.AddScoped<SampleService>();
        using var root = services.BuildServiceProvider();
        var activator = new GrpcServiceActivator<SampleService>(root, new GrpcServiceLifetimes(services));
        using var scopeA = root.CreateScope();
        using var scopeB = root.CreateScope();

        var a = activator.Resolve(new DefaultHttpContext { RequestServices = scopeA.ServiceProvider });
        var b = activator.Resolve(new DefaultHttpContext { RequestServices = scopeB.ServiceProvider });

        Assert.Same(scopeA.ServiceProvider.GetRequiredService<SampleService>(), a);
        Assert.NotSame(a, b);
    }

    [Fact]
    public void IsSingleton_TypeRegisteredAgainWithAnotherLifetime_FollowsTheLastRegistration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<SampleService>();
        services.AddTransient<SampleService>();

        Assert.False(new GrpcServiceLifetimes(services).IsSingleton(typeof(SampleService)));
    }

    private sealed class SampleService;
}
