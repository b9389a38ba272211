using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Verify.Server.Tests.Api;

/// <summary>What tools find without a proto file (reflection), and what load balancers watch (health).</summary>
public sealed class GrpcDiscoveryTests
{
    private static readonly string[] Served =
    [
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "verify.admin.v1.AdminService",
        "verify.v1.VerificationService",
    ];

    [Fact]
    public async Task ReflectionV1_ListsServicesAndResolvesTheErrorDetailTypes()
    {
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>());
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(Served, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order());

        foreach (var symbol in new[] { "google.rpc.Status", "google.rpc.BadRequest", "google.rpc.RetryInfo", "google.rpc.QuotaFailure", "google.rpc.ErrorInfo", "google.rpc.PreconditionFailure", "verify.v1.VerificationService" })
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });
            Assert.True(await call.ResponseStream.MoveNext());
            var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
            Assert.Contains(files, file => Declares(file, symbol));
        }

        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task ReflectionV1Alpha_ListsTheSameServices()
    {
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>());
        using var call = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        await call.RequestStream.CompleteAsync();

        Assert.Equal(Served, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order());
    }

    [Fact]
    public async Task HealthWatch_FollowsTheStoreWithinTheProbeInterval()
    {
        using var redis = RedisServerProcess.Start();
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?>
        {
            ["Verify:Redis:Configuration"] = redis.EndPoint,
            ["Verify:Hashing:ActiveKeyId"] = "k1",
            ["Verify:Hashing:Keys:k1"] = Convert.ToBase64String(new byte[32]),
            ["Verify:Health:ProbeInterval"] = "00:00:01",
            ["Verify:Health:ProbeTimeout"] = "00:00:00.5",
        });
        using var watch = new Grpc.Health.V1.Health.HealthClient(host.Channel).Watch(new HealthCheckRequest { Service = "verify.v1.VerificationService" }, deadline: DateTime.UtcNow.AddSeconds(60));

        // NOT_SERVING until the first probe, which runs as the host starts.
        await UntilAsync(watch, ServingStatus.Serving, TimeSpan.FromSeconds(5));
        redis.Kill();
        Assert.Equal(ServingStatus.NotServing, await NextAsync(watch, TimeSpan.FromSeconds(5)));
        redis.Restart();
        Assert.Equal(ServingStatus.Serving, await NextAsync(watch, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task StoreReachability_LoggedOnceNotAtEveryProbe()
    {
        await using var host = await VerifyGrpcHost.StartAsync(new Dictionary<string, string?> { ["Verify:Health:ProbeInterval"] = "00:00:01" });
        using var watch = new Grpc.Health.V1.Health.HealthClient(host.Channel).Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        await UntilAsync(watch, ServingStatus.Serving, TimeSpan.FromSeconds(10));

        // Three more probes, a second apart, find the store as the first did.
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.Single(host.Logs, l => l.Message == "Verification store reachable: True.");
    }

    private static async Task UntilAsync(AsyncServerStreamingCall<HealthCheckResponse> watch, ServingStatus wanted, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (await watch.ResponseStream.MoveNext(timeout.Token))
        {
            if (watch.ResponseStream.Current.Status == wanted)
            {
                return;
            }
        }

        Assert.Fail($"health Watch ended before {wanted}");
    }

    private static async Task<ServingStatus> NextAsync(AsyncServerStreamingCall<HealthCheckResponse> watch, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        return watch.ResponseStream.Current.Status;
    }

    private static bool Declares(FileDescriptorProto file, string symbol) =>
        file.MessageType.Any(m => $"{file.Package}.{m.Name}" == symbol) || file.Service.Any(s => $"{file.Package}.{s.Name}" == symbol);
}
