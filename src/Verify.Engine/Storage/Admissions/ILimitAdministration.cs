using Verify.Engine.Limits;

namespace Verify.Engine.Storage;

/// <summary>
/// What the admin service reads and resets in a store: the raw counters (send times, approvals,
/// blocks), which it sets against the configured windows. Reads are snapshots; resets are atomic per key.
/// </summary>
internal interface ILimitAdministration
{
    ValueTask<PhoneCounterState> ReadPhoneAsync(string phoneNumber, string purpose, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpAsync(string clientIp, string purpose, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<IpCountry>> ReadIpCountriesAsync(string clientIp, CancellationToken cancellationToken);

    ValueTask<CounterSnapshot> ReadCounterAsync(LimitScope scope, string key, CancellationToken cancellationToken);

    /// <summary>Forgets a number's send log, cooldown, wrong codes in a row and lockout for a purpose; its live verification stays.</summary>
    ValueTask ResetPhoneAsync(string phoneNumber, string purpose, DateTimeOffset now, CancellationToken cancellationToken);

    ValueTask ResetIpAsync(string clientIp, IReadOnlyCollection<string> purposes, CancellationToken cancellationToken);

    /// <summary>Forgets a counter's sends, approvals and pumping block.</summary>
    ValueTask ResetCounterAsync(LimitScope scope, string key, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<BlockEntry>> ListBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lifts a pumping block; false when there was none.</summary>
    ValueTask<bool> UnblockAsync(LimitScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken);
}
