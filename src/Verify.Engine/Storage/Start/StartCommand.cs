using Verify.Engine.Codes;
using Verify.Engine.Configuration;
using Verify.Engine.Throttling;

namespace Verify.Engine.Storage;

/// <summary>
/// Everything a start needs, so the store can do it as one atomic step: refuse on a lock, the cooldown
/// or a window, or else count the send and write the record (new, or a resend of the pending one).
/// </summary>
internal sealed record StartCommand
{
    /// <summary>The id a new verification gets; a resend keeps the pending one's id.</summary>
    public required string NewId { get; init; }

    public required string PhoneNumber { get; init; }

    public required string Purpose { get; init; }

    public required string Locale { get; init; }

    /// <summary>The client IP's bucket the per-IP limits count under (<see cref="Limits.ClientBucket"/>).</summary>
    public string? ClientIp { get; init; }

    public string? IdempotencyKey { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required VerificationPolicy Policy { get; init; }

    public required string SendId { get; init; }

    /// <summary>How this send goes out; a resend may switch between text and call.</summary>
    public Delivery.DeliveryChannel Channel { get; init; } = Delivery.DeliveryChannel.Sms;

    /// <summary>The starting caller's owner tag. A pending verification of another owner is replaced, not resent.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>The counters across purposes this send must pass and is counted in (number, country, prefix, caller, global).</summary>
    public IReadOnlyList<CounterLimit> Counters { get; init; } = [];

    /// <summary>The destination's country (ISO 3166 alpha-2), for the distinct countries per client IP.</summary>
    public string Country { get; init; } = string.Empty;

    /// <summary>Distinct destination countries one client IP may reach within a window; null for no limit.</summary>
    public WindowLimit? CountriesPerIp { get; init; }

    /// <summary>A safe-listed test number: no throttle applies and nothing is counted.</summary>
    public bool Safe { get; init; }

    /// <summary>The code as stored (HMAC only), the same for a new verification and a resend.</summary>
    public required StoredCode Code { get; init; }
}
