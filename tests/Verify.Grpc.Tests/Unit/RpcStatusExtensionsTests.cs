using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace Verify.Grpc.Tests.Unit;

public sealed class RpcStatusExtensionsTests
{
    [Fact]
    public void ToRpcException_ThenGetRpcStatus_RoundTripsCodeMessageAndDetails()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "phone number is invalid",
            Details =
            {
                Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "phone_number", Description = "must be E.164" } } }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) }),
            },
        };

        var exception = status.ToRpcException();

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Equal(status.Message, exception.Status.Detail);
        Assert.Equal(status, exception.GetRpcStatus());
    }

    [Fact]
    public void ToRpcException_WithTrailers_KeepsThemBesideTheDetails()
    {
        var trailers = new Metadata { { "x-request-id", "abc" } };

        var exception = new Google.Rpc.Status { Code = (int)Code.NotFound, Message = "gone" }.ToRpcException(trailers);

        Assert.Equal("abc", exception.Trailers.GetValue("x-request-id"));
        Assert.NotNull(exception.Trailers.GetValueBytes("grpc-status-details-bin"));
        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
    }

    [Fact]
    public void GetRpcStatus_NoDetailsTrailer_ReturnsNull() =>
        Assert.Null(new RpcException(new Status(StatusCode.Internal, "x")).GetRpcStatus());
}
