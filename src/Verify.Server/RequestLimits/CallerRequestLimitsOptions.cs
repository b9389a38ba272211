namespace Verify.Server.RequestLimits;

/// <summary>
/// The request limits one caller gets: the defaults of <c>Verify:RequestLimits</c>, with what
/// <c>Verify:RequestLimits:Callers:&lt;name&gt;</c> sets for that caller bound over them.
/// </summary>
internal sealed class CallerRequestLimitsOptions
{
    /// <summary>The bucket every call of the caller takes a token from, whatever the method.</summary>
    public RequestBucketOptions PerCaller { get; set; } = new();

    /// <summary>Buckets by method short name (<c>StartVerification</c>…); a method without one has only the caller's bucket.</summary>
    public Dictionary<string, RequestBucketOptions> PerMethod { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Calls of the caller in flight at once; one more is refused at once, not queued.</summary>
    public int ConcurrencyLimit { get; set; }

    public CallerRequestLimitsOptions Clone() => new()
    {
        PerCaller = PerCaller.Clone(),
        PerMethod = PerMethod.ToDictionary(entry => entry.Key, entry => entry.Value.Clone(), StringComparer.OrdinalIgnoreCase),
        ConcurrencyLimit = ConcurrencyLimit,
    };
}
