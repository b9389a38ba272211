using System.Net;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Verify.Grpc.InteropHost;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class ErrorFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    [Fact]
    public async Task Fail_StatusBeforeAnyMessage_IsTrailersOnly()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var response = await host.Client.SendAsync(InteropPaths.Fail, new FailRequest { Code = (int)StatusCode.NotFound, Message = "no such thing" }, cancellationToken: timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal("5", response.Header("grpc-status"));
        Assert.Equal("no such thing", response.Header("grpc-message"));
        Assert.Null(await response.ReadFrameAsync(timeout.Token));
        Assert.Empty(response.Trailers);
        var status = await response.ReadStatusAsync(timeout.Token);
        Assert.True(status.TrailersOnly);
        Assert.Equal(StatusCode.NotFound, status.Code);
    }

    [Theory]
    [InlineData("bad_request", StatusCode.InvalidArgument)]
    [InlineData("retry_info", StatusCode.ResourceExhausted)]
    [InlineData("quota_failure", StatusCode.ResourceExhausted)]
    [InlineData("error_info", StatusCode.PermissionDenied)]
    [InlineData("precondition_failure", StatusCode.FailedPrecondition)]
    public async Task Fail_WithDetail_SendsGoogleRpcStatusMatchingGrpcStatus(string kind, StatusCode code)
    {
        var status = await FailAsync(new FailRequest { Code = (int)code, Message = $"failed with {kind}", Details = { kind } });

        Assert.Equal(code, status.Code);
        Assert.NotNull(status.Details);
        Assert.Equal((int)status.Code, status.Details.Code);
        Assert.Equal(status.Message, status.Details.Message);
        Assert.Equal($"failed with {kind}", status.Message);
        var detail = Assert.Single(status.Details.Details);
        AssertDetail(kind, detail);
    }

    [Fact]
    public async Task Fail_EveryDetailKind_AllArriveInOrder()
    {
        string[] kinds = ["bad_request", "retry_info", "quota_failure", "error_info", "precondition_failure"];

        var status = await FailAsync(new FailRequest { Code = (int)StatusCode.Aborted, Message = "all of them", Details = { kinds } });

        Assert.NotNull(status.Details);
        Assert.Equal(kinds.Length, status.Details.Details.Count);
        for (var i = 0; i < kinds.Length; i++)
        {
            AssertDetail(kinds[i], status.Details.Details[i]);
        }
    }

    [Fact]
    public async Task Fail_WithoutDetails_StillCarriesGoogleRpcStatus()
    {
        var status = await FailAsync(new FailRequest { Code = (int)StatusCode.Unavailable, Message = "later" });

        Assert.Equal(StatusCode.Unavailable, status.Code);
        Assert.NotNull(status.Details);
        Assert.Equal((int)StatusCode.Unavailable, status.Details.Code);
        Assert.Empty(status.Details.Details);
    }

    [Fact]
    public async Task Fail_NonAsciiMessage_IsPercentEncodedOnTheWire()
    {
        const string message = "Código inválido: 100% ✓ 😀";
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var response = await host.Client.SendAsync(InteropPaths.Fail, new FailRequest { Code = (int)StatusCode.InvalidArgument, Message = message }, cancellationToken: timeout.Token);
        var raw = response.Header("grpc-message");
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.NotNull(raw);
        Assert.All(raw, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal("C%C3%B3digo inv%C3%A1lido: 100%25 %E2%9C%93 %F0%9F%98%80", raw);
        Assert.Equal(message, status.Message);
        Assert.Equal(message, status.Details?.Message);
    }

    [Fact]
    public async Task Fail_HandlerThrowsUnexpectedly_ReturnsUnknownWithoutTheExceptionText()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var response = await host.Client.SendAsync(InteropPaths.Fail, new FailRequest { Code = 2, ThrowUnexpected = true }, cancellationToken: timeout.Token);
        var status = await response.ReadStatusAsync(timeout.Token);

        Assert.Equal(StatusCode.Unknown, status.Code);
        Assert.Equal("Exception was thrown by handler.", status.Message);
        Assert.Null(status.Details);
        var everyValue = response.Headers.Concat(response.Trailers).SelectMany(h => h.Value.Prepend(h.Key));
        Assert.DoesNotContain(everyValue, v => v.Contains(InteropService.InternalSecret, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Fail_UnknownDetailKind_ReturnsInvalidArgument()
    {
        var status = await FailAsync(new FailRequest { Code = (int)StatusCode.Internal, Details = { "no_such_kind" } });

        Assert.Equal(StatusCode.InvalidArgument, status.Code);
        Assert.Equal("Unknown detail kind 'no_such_kind'.", status.Message);
    }

    private async Task<GrpcCallStatus> FailAsync(FailRequest request)
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var result = await host.Client.CallAsync(InteropPaths.Fail, request, Empty.Parser, cancellationToken: timeout.Token);
        Assert.Empty(result.Messages);
        return result.Status;
    }

    private static void AssertDetail(string kind, Any detail)
    {
        switch (kind)
        {
            case "bad_request":
                var violation = Assert.Single(detail.Unpack<BadRequest>().FieldViolations);
                Assert.Equal("phone_number", violation.Field);
                Assert.Equal("must be E.164", violation.Description);
                break;
            case "retry_info":
                Assert.Equal(TimeSpan.FromSeconds(42), detail.Unpack<RetryInfo>().RetryDelay.ToTimeSpan());
                break;
            case "quota_failure":
                var quota = Assert.Single(detail.Unpack<QuotaFailure>().Violations);
                Assert.Equal("phone:hour", quota.Subject);
                Assert.Equal("5 per hour", quota.Description);
                break;
            case "error_info":
                var info = detail.Unpack<ErrorInfo>();
                Assert.Equal("TEST_REASON", info.Type);
                Assert.Equal("verify.test", info.Domain);
                Assert.Equal("v", info.Metadata["k"]);
                break;
            case "precondition_failure":
                var precondition = Assert.Single(detail.Unpack<PreconditionFailure>().Violations);
                Assert.Equal("TOS", precondition.Type);
                Assert.Equal("verify.test", precondition.Subject);
                Assert.Equal("locked", precondition.Description);
                break;
            default:
                Assert.Fail($"Unexpected kind {kind}.");
                break;
        }
    }
}
