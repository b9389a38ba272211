namespace Verify.Benchmarks.Load;

internal enum Operation
{
    /// <summary>CheckVerification by phone and purpose for a number never started: NOT_FOUND, the full check path.</summary>
    Check,

    /// <summary>StartVerification to a number not used before in this Redis database: OK, a code sent to the sink.</summary>
    Start,

    /// <summary>The reference's empty call: OK.</summary>
    Empty,

    /// <summary>The reference's empty call plus one EVALSHA: OK.</summary>
    Floor,
}
