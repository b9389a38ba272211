using Verify.Grpc.Internal;

namespace Verify.Grpc.Tests.Unit;

public sealed class GrpcContentTypeTests
{
    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    [InlineData("application/grpc+proto;charset=utf-8")]
    [InlineData("APPLICATION/GRPC")]
    [InlineData("Application/Grpc+Proto")]
    public void IsSupported_GrpcProtoContentType_ReturnsTrue(string contentType) =>
        Assert.True(GrpcContentType.IsSupported(contentType));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/grpc+json")]
    [InlineData("application/grpc+")]
    [InlineData("application/json")]
    [InlineData("application/grpcx")]
    [InlineData("application/grpc-web")]
    [InlineData("application/grp")]
    [InlineData("text/plain")]
    public void IsSupported_OtherContentType_ReturnsFalse(string? contentType) =>
        Assert.False(GrpcContentType.IsSupported(contentType));
}
