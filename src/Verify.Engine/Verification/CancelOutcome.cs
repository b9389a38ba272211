namespace Verify.Engine.Verification;

internal abstract record CancelOutcome
{
    private CancelOutcome()
    {
    }

    public sealed record NotFound : CancelOutcome
    {
        public static readonly NotFound Instance = new();
    }

    public sealed record Canceled(VerificationRecord Record) : CancelOutcome;

    /// <summary>The verification is locked or burned: canceling it would let a new one start early.</summary>
    public sealed record NotPending(VerificationRecord Record) : CancelOutcome;
}
