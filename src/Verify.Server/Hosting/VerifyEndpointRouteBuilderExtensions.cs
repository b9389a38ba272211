using Verify.Grpc;
using Verify.Server.Admin;
using Verify.Server.Health;
using Verify.Server.Metrics;
using Verify.Server.Verification;

namespace Verify.Server.Hosting;

internal static class VerifyEndpointRouteBuilderExtensions
{
    /// <summary>The gRPC services (verification, health, reflection), the HTTP probes, /metrics and delivery receipts.</summary>
    public static WebApplication MapVerify(this WebApplication app)
    {
        app.MapGrpcService<VerificationGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();

        // Reflection also serves the error detail types, so grpcurl and grpcui can print them.
        app.Services.GetRequiredService<GrpcServiceRegistry>().AddFile(Google.Rpc.ErrorDetailsReflection.Descriptor);

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapVerifyMetrics();
        app.MapDeliveryReceipts();
        app.MapGet("/readyz", async (StoreHealthMonitor monitor, CancellationToken cancellationToken) =>
            await monitor.ProbeAsync(cancellationToken)
                ? Results.Text("ready")
                : Results.Text("store unreachable", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
