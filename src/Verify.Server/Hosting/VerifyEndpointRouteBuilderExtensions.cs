using Microsoft.Extensions.Diagnostics.HealthChecks;
using Verify.Server.Admin;
using Verify.Server.Health;
using Verify.Server.Metrics;
using Verify.Server.Verification;
using Verify.Engine.Verification;
using Verify.Engine.Metrics;

namespace Verify.Server.Hosting;

internal static class VerifyEndpointRouteBuilderExtensions
{
    /// <summary>The gRPC services (verification, admin, health, reflection), the HTTP probes, /metrics and delivery receipts.</summary>
    public static WebApplication MapVerify(this WebApplication app)
    {
        app.MapGrpcService<VerificationGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapVerifyMetrics();
        app.MapDeliveryReceipts();
        app.MapGet("/readyz", async (HealthCheckService health, CancellationToken cancellationToken) =>
            (await health.CheckHealthAsync(cancellationToken)).Status == HealthStatus.Healthy
                ? Results.Text("ready")
                : Results.Text("store unreachable", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
