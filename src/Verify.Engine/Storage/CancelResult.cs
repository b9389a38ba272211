namespace Verify.Engine.Storage;

internal abstract record CancelResult
{
    private CancelResult()
    {
    }

    public sealed record NotFound : CancelResult
    {
        public static readonly NotFound Instance = new();
    }

    public sealed record Canceled(VerificationRecord Record) : CancelResult;

    /// <summary>The verification is locked or burned: canceling it would let a new one start early.</summary>
    public sealed record NotPending(VerificationRecord Record) : CancelResult;
}
