using CsCheck;
using Verify.Engine.Storage;
using Xunit.Abstractions;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// Random sequences of starts, checks (by id and by number; right, earlier, wrong and malformed codes; other
/// transactions), gets, cancels and clock moves, each step compared with <see cref="StoreModel"/>: the same
/// property over each store. A failure prints the shrunk sequence, the trace up to the step that differs, and
/// the seed: replay it with <c>CsCheck_Seed=&lt;seed&gt;</c> in the environment (README, "Property tests").
/// </summary>
public abstract class StoreProperties(ITestOutputHelper output)
{
    /// <summary>Sequences per store; <c>CsCheck_Iter</c> in the environment overrides it for a longer search.</summary>
    private const int Sequences = 200;

    /// <summary>A store of the kind under test, empty, on the engine's (hand-moved) clock.</summary>
    private protected abstract IVerificationStore CreateStore(TimeProvider time);

    [Fact]
    public Task RandomOperationSequences_AnswerAsTheModelDoes() =>
        StoreOperationGen.Sequence.SampleAsync(
            new StoreSequenceRun(CreateStore).RunAsync,
            writeLine: output.WriteLine,
            iter: Environment.GetEnvironmentVariable("CsCheck_Iter") is { Length: > 0 } iter ? long.Parse(iter, System.Globalization.CultureInfo.InvariantCulture) : Sequences,
            print: StoreOperationGen.Print);
}
