using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Verify.Admin.V1;
using Verify.Server.Tests.Infrastructure;
using Verify.V1;

namespace Verify.Server.Tests.Api;

/// <summary>
/// Verify as a .NET caller meets it: Grpc.Net.Client over h2c to the whole application on real Kestrel,
/// with a real HTTP endpoint standing in for the SMS provider.
/// </summary>
public sealed partial class GrpcApiTests : IAsyncLifetime
{
    private const string ApiKey = "login-service-key-0123456789";
    private const string OtherKey = "reporting-key-0123456789";

    private WebhookCaptureServer _sms = null!;

    public async Task InitializeAsync() => _sms = await WebhookCaptureServer.StartAsync();

    public async Task DisposeAsync() => await _sms.DisposeAsync();

    [Fact]
    public async Task StartThenCheck_TheCodeThatWasSent_Approved()
    {
        await using var host = await StartAsync();
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var started = await client.StartVerificationAsync(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" });
        var checkedCode = await client.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = started.Verification.Id, Code = SentCode() });

        Assert.Equal("+86 138****5678", started.Verification.MaskedPhoneNumber);
        Assert.True(checkedCode.Valid);
        Assert.Equal(VerificationStatus.Approved, checkedCode.Status);
    }

    [Fact]
    public async Task Start_BadPhoneNumber_InvalidArgumentWithFieldViolationAndNothingSent()
    {
        await using var host = await StartAsync();
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(new StartVerificationRequest { PhoneNumber = "138 1234 5678", Purpose = "login" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        Assert.Equal("phone_number", Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Empty(_sms.Requests);
        Assert.Contains(host.AuditLines, line => line.Contains("audit start", StringComparison.Ordinal) && line.EndsWith("outcome=invalidargument", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_WithoutCredentials_UnauthenticatedWithErrorInfoAndOneAuditLine()
    {
        await using var host = await StartAsync(Authenticated());
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetVerificationAsync(new GetVerificationRequest { VerificationId = "VE" + new string('a', 32) }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("UNAUTHENTICATED", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal("audit get caller=- purpose=- phone=- ip=- verification=- outcome=unauthenticated", Assert.Single(host.AuditLines));
    }

    [Fact]
    public async Task Start_CallerNotAllowedThePurpose_PermissionDeniedAndNothingSent()
    {
        await using var host = await StartAsync(Authenticated());
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(
            new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "signup" }, Bearer(ApiKey)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Empty(_sms.Requests);
        Assert.Equal("audit start caller=login-service purpose=signup phone=+86 138****5678 ip=- verification=- outcome=permissiondenied", Assert.Single(host.AuditLines));
    }

    [Fact]
    public async Task Start_AllowedCaller_SentAndAuditedWithMaskedNumberOnly()
    {
        await using var host = await StartAsync(Authenticated());
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var started = await client.StartVerificationAsync(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" }, Bearer(ApiKey));

        var line = Assert.Single(host.AuditLines);
        Assert.Equal($"audit start caller=login-service purpose=login phone=+86 138****5678 ip=- verification={started.Verification.Id} outcome=sent", line);
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains("13812345678", StringComparison.Ordinal) || l.Message.Contains(SentCode(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_CallerWithoutTheOperation_PermissionDenied()
    {
        await using var host = await StartAsync(Authenticated());
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetVerificationAsync(
            new GetVerificationRequest { VerificationId = "VE" + new string('a', 32) }, Bearer(OtherKey)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("PERMISSION_DENIED", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task Admin_NonAdminCaller_PermissionDeniedAndAudited()
    {
        await using var host = await StartAsync(Authenticated());
        var admin = new AdminService.AdminServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => admin.ListBlockedAsync(new ListBlockedRequest(), Bearer(ApiKey)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("audit admin.list_blocked caller=login-service purpose=- phone=- ip=- verification=- outcome=permissiondenied", Assert.Single(host.AuditLines));
    }

    [Fact]
    public async Task Start_RequestOver64KiB_ResourceExhaustedAndNothingSent()
    {
        await using var host = await StartAsync();
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(
            new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", Locale = new string('x', 70_000) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Empty(_sms.Requests);
    }

    [Fact]
    public async Task Start_SenderSlowerThanTheDeadline_DeadlineExceeded()
    {
        _sms.Delay = TimeSpan.FromSeconds(3);
        await using var host = await StartAsync();
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(
            new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Call_RequestSentGzip_ResponseComesBackGzip_PlainRequest_PlainResponse()
    {
        await using var host = await StartAsync();
        var encodings = new ResponseEncodingRecorder();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Address, new() { HttpHandler = encodings });
        var client = new VerificationService.VerificationServiceClient(channel);

        // grpc-internal-encoding-request is Grpc.Net.Client's per-call switch to compress the request.
        var compressed = await client.StartVerificationAsync(
            new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" },
            new Metadata { { "grpc-internal-encoding-request", "gzip" } });
        var plain = await client.StartVerificationAsync(new StartVerificationRequest { PhoneNumber = "+8613912345678", Purpose = "login" });

        Assert.Equal("+86 138****5678", compressed.Verification.MaskedPhoneNumber);
        Assert.Equal("+86 139****5678", plain.Verification.MaskedPhoneNumber);
        Assert.Equal(["gzip", "identity"], encodings.Seen);
    }

    [Fact]
    public async Task UnknownMethod_Unimplemented()
    {
        await using var host = await StartAsync();
        var method = new Method<GetVerificationRequest, Verify.V1.Verification>(
            MethodType.Unary, "verify.v1.VerificationService", "NoSuchMethod",
            Marshallers.Create(r => r.ToByteArray(), GetVerificationRequest.Parser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), Verify.V1.Verification.Parser.ParseFrom));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, new GetVerificationRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_ServerAndVerificationService_ServingOnceProbed_UnknownService_NotFound()
    {
        await using var host = await StartAsync();
        var health = new Grpc.Health.V1.Health.HealthClient(host.Channel);

        // The first probe runs as the host starts; a Watch sees it land.
        using var watch = health.Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        while (await watch.ResponseStream.MoveNext() && watch.ResponseStream.Current.Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "verify.v1.VerificationService" })).Status);
        var error = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    /// <summary>The grpc-encoding of each response as it came off the wire (Grpc.Net.Client hides it from the call's headers).</summary>
    private sealed class ResponseEncodingRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<string> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Seen.Add(response.Headers.TryGetValues("grpc-encoding", out var values) ? string.Join(",", values) : "identity");
            return response;
        }
    }

    private string SentCode()
    {
        var text = Assert.Single(_sms.Requests).Json.GetProperty("text").GetString()!;
        return CodePattern().Match(text).Value;
    }

    private Task<VerifyGrpcHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Verify:Delivery:Webhook:Url"] = _sms.Url.ToString(),
        };
        return VerifyGrpcHost.StartAsync(all);
    }

    private static Dictionary<string, string?> Authenticated() => new()
    {
        ["Verify:Authentication:Enabled"] = "true",
        ["Verify:Callers:login-service:ApiKeyHashes:0"] = Hash(ApiKey),
        ["Verify:Callers:login-service:Purposes:0"] = "login",
        ["Verify:Callers:login-service:Operations:0"] = "*",
        ["Verify:Callers:reporting:ApiKeyHashes:0"] = Hash(OtherKey),
        ["Verify:Callers:reporting:Purposes:0"] = "*",
        ["Verify:Callers:reporting:Operations:0"] = "check",
    };

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
