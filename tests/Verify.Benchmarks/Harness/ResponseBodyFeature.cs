using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Verify.Benchmarks.Harness;

internal sealed class ResponseBodyFeature(PipeWriter writer) : IHttpResponseBodyFeature
{
    private Stream? _stream;

    public Stream Stream => _stream ??= writer.AsStream();

    public PipeWriter Writer => writer;

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task CompleteAsync() => Task.CompletedTask;
}
