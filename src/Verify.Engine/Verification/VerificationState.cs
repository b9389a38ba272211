namespace Verify.Engine.Verification;

internal enum VerificationState
{
    Pending,
    Approved,
    Canceled,
    Expired,
    MaxAttemptsReached,

    /// <summary>Burned by a check against another transaction (PSD2 RTS art. 5).</summary>
    Failed,
}
