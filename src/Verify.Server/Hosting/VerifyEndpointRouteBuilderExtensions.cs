using Microsoft.Extensions.Diagnostics.HealthChecks;
using Verify.Server.Admin;
using Verify.Server.Health;
using Verify.Server.Hosting.Listeners;
using Verify.Server.Metrics;
using Verify.Server.Verification;
using Verify.Engine.Verification;
using Verify.Engine.Metrics;

namespace Verify.Server.Hosting;

internal static class VerifyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The gRPC services (verification, admin, health, reflection) on the Grpc listener, delivery receipts on Http,
    /// the HTTP probes and /metrics on Management; each answers 404 on the other two (security review, point 9:
    /// metrics and probes were open on the port providers reach, and everything answered on the gRPC port).
    /// </summary>
    public static WebApplication MapVerify(this WebApplication app)
    {
        // Groups without a prefix: only their listener differs, and a group's conventions reach every endpoint
        // mapped in it, gRPC's catch-all for unimplemented services and methods included.
        var grpc = app.MapGroup(string.Empty).RequireListener(VerifyListeners.Grpc);
        grpc.MapGrpcService<VerificationGrpcService>();
        grpc.MapGrpcService<AdminGrpcService>();
        grpc.MapGrpcHealthChecksService();
        grpc.MapGrpcReflectionService();

        app.MapGroup(string.Empty).RequireListener(VerifyListeners.Http).MapDeliveryReceipts();

        var management = app.MapGroup(string.Empty).RequireListener(VerifyListeners.Management);
        management.MapGet("/healthz", () => Results.Text("ok"));
        management.MapVerifyMetrics();
        management.MapGet("/readyz", async (HealthCheckService health, CancellationToken cancellationToken) =>
            (await health.CheckHealthAsync(cancellationToken)).Status == HealthStatus.Healthy
                ? Results.Text("ready")
                : Results.Text("store unreachable", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
