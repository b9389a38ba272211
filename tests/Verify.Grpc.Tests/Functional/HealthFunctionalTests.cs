using Google.Protobuf.WellKnownTypes;
using Verify.Grpc.Health.V1;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;
using ServingStatus = Verify.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Verify.Grpc.Tests.Functional;

public sealed class HealthFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    [Fact]
    public async Task Check_Server_IsServing()
    {
        var (status, response) = await CheckAsync(string.Empty);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Equal(ServingStatus.Serving, response?.Status);
    }

    [Fact]
    public async Task Check_UnknownService_ReturnsNotFound()
    {
        var (status, response) = await CheckAsync("no.such.Service");

        Assert.Equal(StatusCode.NotFound, status.Code);
        Assert.Null(response);
    }

    [Fact]
    public async Task Check_AfterSetHealthNotServing_ReportsNotServing()
    {
        const string service = "check.test.Service";
        await SetHealthAsync(service, ServingStatus.NotServing);

        var (status, response) = await CheckAsync(service);

        Assert.Equal(StatusCode.OK, status.Code);
        Assert.Equal(ServingStatus.NotServing, response?.Status);
    }

    [Fact]
    public async Task Check_AfterStatusCleared_ReturnsNotFound()
    {
        const string service = "cleared.test.Service";
        await SetHealthAsync(service, ServingStatus.Serving);
        await SetHealthAsync(service, ServingStatus.Unknown);

        var (status, _) = await CheckAsync(service);

        Assert.Equal(StatusCode.NotFound, status.Code);
    }

    [Fact]
    public async Task Watch_StatusChanges_SendsCurrentStatusThenEachChange()
    {
        const string service = "watch.test.Service";
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        await SetHealthAsync(service, ServingStatus.Serving);

        using var watch = await host.Client.SendAsync(InteropPaths.HealthWatch, new HealthCheckRequest { Service = service }, cancellationToken: timeout.Token);
        var first = await watch.ReadMessageAsync(HealthCheckResponse.Parser, timeout.Token);
        await SetHealthAsync(service, ServingStatus.NotServing);
        var second = await watch.ReadMessageAsync(HealthCheckResponse.Parser, timeout.Token);
        await SetHealthAsync(service, ServingStatus.Serving);
        var third = await watch.ReadMessageAsync(HealthCheckResponse.Parser, timeout.Token);

        Assert.Equal(ServingStatus.Serving, first?.Status);
        Assert.Equal(ServingStatus.NotServing, second?.Status);
        Assert.Equal(ServingStatus.Serving, third?.Status);
    }

    [Fact]
    public async Task Watch_UnknownService_SendsServiceUnknownAndKeepsWatching()
    {
        const string service = "watch.later.Service";
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var watch = await host.Client.SendAsync(InteropPaths.HealthWatch, new HealthCheckRequest { Service = service }, cancellationToken: timeout.Token);
        var first = await watch.ReadMessageAsync(HealthCheckResponse.Parser, timeout.Token);
        await SetHealthAsync(service, ServingStatus.Serving);
        var second = await watch.ReadMessageAsync(HealthCheckResponse.Parser, timeout.Token);

        Assert.Equal(ServingStatus.ServiceUnknown, first?.Status);
        Assert.Equal(ServingStatus.Serving, second?.Status);
    }

    private async Task<(GrpcCallStatus Status, HealthCheckResponse? Response)> CheckAsync(string service)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var result = await host.Client.CallAsync(InteropPaths.HealthCheck, new HealthCheckRequest { Service = service }, HealthCheckResponse.Parser, cancellationToken: timeout.Token);
        return (result.Status, result.Messages.SingleOrDefault());
    }

    private async Task SetHealthAsync(string service, ServingStatus status)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var result = await host.Client.CallAsync(InteropPaths.SetHealth, new SetHealthRequest { Service = service, Status = (int)status }, Empty.Parser, cancellationToken: timeout.Token);
        Assert.Equal(StatusCode.OK, result.Status.Code);
    }
}
