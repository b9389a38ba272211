using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Verify.Benchmarks.Harness;

internal sealed class RequestBodyPipeFeature(PipeReader reader) : IRequestBodyPipeFeature
{
    public PipeReader Reader => reader;
}
