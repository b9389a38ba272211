using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>Lets a DefaultHttpContext accept trailers, as an HTTP/2 response does.</summary>
public sealed class TestResponseTrailersFeature : IHttpResponseTrailersFeature
{
    public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
}
