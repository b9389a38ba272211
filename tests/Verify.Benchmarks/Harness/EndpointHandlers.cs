using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Verify.Benchmarks.Harness;

/// <summary>The request delegates routing would run, taken from a built (not started) application.</summary>
internal static class EndpointHandlers
{
    public const string GrpcEmptyPath = "/verify.interop.v1.InteropService/Empty";

    public static RequestDelegate Find(WebApplication app, string path) =>
        ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Single(endpoint => endpoint.RoutePattern.RawText == path)
            .RequestDelegate
        ?? throw new InvalidOperationException($"Endpoint {path} has no request delegate.");
}
