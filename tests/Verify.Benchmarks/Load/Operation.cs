namespace Verify.Benchmarks.Load;

internal enum Operation
{
    /// <summary>CheckVerification by phone and purpose for a number never started: NOT_FOUND, the full check path.</summary>
    Check,

    /// <summary>StartVerification to a number not used before in this Redis database: OK, a code sent to the sink.</summary>
    Start,

    /// <summary>
    /// CheckVerification by id with a wrong code on a pending verification (ids from --ids, started through the no-op
    /// sink so the code is unknown): OK with valid=false and status PENDING. Each id takes at most --attempts-per-id
    /// calls, so none reaches the policy's MaxAttempts during the run.
    /// </summary>
    WrongCode,

    /// <summary>The reference's empty call: OK.</summary>
    Empty,

    /// <summary>The reference's empty call plus one EVALSHA: OK.</summary>
    Floor,
}
