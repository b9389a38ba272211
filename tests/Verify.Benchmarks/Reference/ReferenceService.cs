using Grpc.Core;

namespace Verify.Benchmarks.Reference;

internal sealed class ReferenceService(FloorScript floor) : Reference.ReferenceBase
{
    private static readonly Task<Nothing> Answer = Task.FromResult(new Nothing());

    public override Task<Nothing> Empty(Nothing request, ServerCallContext context) => Answer;

    public override async Task<Nothing> Floor(Nothing request, ServerCallContext context)
    {
        await floor.EvaluateAsync();
        return new Nothing();
    }
}
