using Verify.Engine.Limits;

namespace Verify.Engine.Storage;

/// <summary>
/// What the admin service reads and resets in a store: the raw counters (send times, approvals,
/// blocks), which it sets against the configured windows. Reads are snapshots; resets are atomic per key.
/// </summary>
internal interface ILimitAdministration
{
    ValueTask<PhoneCounterState> ReadPhoneAsync(string phoneNumber, string purpose, CancellationToken cancellationToken);

    /// <summary>The send times of a client IP's bucket (<see cref="ClientBucket"/>) for a purpose.</summary>
    ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpAsync(string bucket, string purpose, CancellationToken cancellationToken);

    /// <summary>The wrong codes counted against a client IP's bucket, across purposes.</summary>
    ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpWrongCodesAsync(string bucket, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<IpCountry>> ReadIpCountriesAsync(string bucket, CancellationToken cancellationToken);

    ValueTask<CounterSnapshot> ReadCounterAsync(LimitScope scope, string key, CancellationToken cancellationToken);

    /// <summary>Forgets a number's send log, cooldown, wrong codes in a row and lockout for a purpose; its live verification stays.</summary>
    ValueTask ResetPhoneAsync(string phoneNumber, string purpose, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets a client IP bucket's sends for each purpose, its countries and its wrong codes.</summary>
    ValueTask ResetIpAsync(string bucket, IReadOnlyCollection<string> purposes, CancellationToken cancellationToken);

    /// <summary>Forgets a counter's sends, approvals and pumping block.</summary>
    ValueTask ResetCounterAsync(LimitScope scope, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Erases what the store holds about a number's verifications (their records, and the ids in its state); its
    /// limits stay until they expire (docs/personal-data.md), so an erasure cannot lift them.
    /// </summary>
    ValueTask<NumberErasure> ErasePhoneAsync(string phoneNumber, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The limit state a client IP's bucket has (its sends per purpose, countries, wrong codes), each with its expiry; nothing else names an IP.</summary>
    ValueTask<IReadOnlyList<KeptState>> IpStateAsync(string bucket, IReadOnlyCollection<string> purposes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>When a counter's keys (sends, approvals, block) expire; null when it has none.</summary>
    ValueTask<DateTimeOffset?> CounterExpiryAsync(LimitScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<BlockEntry>> ListBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lifts a pumping block; false when there was none.</summary>
    ValueTask<bool> UnblockAsync(LimitScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken);
}
