using System.Text;
using Verify.Engine.Storage;
using Verify.Engine.Verification;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// Plays one sequence against the real engine over a fresh store and against <see cref="StoreModel"/> side by
/// side, and fails at the first step whose observations differ, with the whole trace up to it.
/// </summary>
internal sealed class StoreSequenceRun(Func<TimeProvider, IVerificationStore> createStore)
{
    public async Task RunAsync(StoreOperation[] operations)
    {
        using var fixture = new VerifierFixture(PropertyConfiguration.Settings(), store: createStore);
        var model = new StoreModel(PropertyConfiguration.Policies, fixture.Time.GetUtcNow());
        var real = new RealSide(fixture);
        var trace = new StringBuilder();
        for (var step = 0; step < operations.Length; step++)
        {
            var operation = operations[step];
            var (expected, actual) = await StepAsync(operation, model, real);
            trace.Append(step).Append(": ").Append(operation).Append(" -> ").Append(actual).AppendLine();
            if (expected != actual)
            {
                throw new InvalidOperationException(
                    $"Step {step}, {operation}:{Environment.NewLine}  model: {expected}{Environment.NewLine}  real:  {actual}{Environment.NewLine}{trace}");
            }
        }
    }

    private static async Task<(Observation Expected, Observation Actual)> StepAsync(StoreOperation operation, StoreModel model, RealSide real)
    {
        switch (operation)
        {
            case StoreOperation.Start start:
            {
                var expected = model.Start(start);
                var (actual, code) = await real.StartAsync(start);
                if (expected == actual && code is not null)
                {
                    model.Sent(actual.Verification!.Value, code);
                }

                return (expected, actual);
            }

            case StoreOperation.Check check:
            {
                var typed = real.Typed(check.Slot, check.Code);
                var expected = model.Check(check, check.Age is { } age ? model.SerialAt(check.Slot, age) : null, check.Age is null, typed);
                return (expected, await real.CheckAsync(check, typed));
            }

            case StoreOperation.Get get:
                return (model.Get(model.SerialAt(get.Slot, get.Age), get.Owner), await real.GetAsync(get));
            case StoreOperation.Cancel cancel:
                return (model.Cancel(model.SerialAt(cancel.Slot, cancel.Age), cancel.Owner), await real.CancelAsync(cancel));
            case StoreOperation.Advance advance:
                model.Advance(advance.By);
                real.Advance(advance.By);
                return (new Observation(ObservedKind.TimeMoved), new Observation(ObservedKind.TimeMoved));
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }
}
