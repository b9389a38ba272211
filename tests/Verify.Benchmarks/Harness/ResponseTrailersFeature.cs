using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Verify.Benchmarks.Harness;

internal sealed class ResponseTrailersFeature : IHttpResponseTrailersFeature
{
    public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
}
