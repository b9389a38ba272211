namespace Verify.Server.Storage;

/// <summary>The admin service's reads and resets, under the store's one lock.</summary>
internal sealed partial class InMemoryVerificationStore : ILimitAdministration
{
    public ValueTask<PhoneCounterState> ReadPhoneAsync(string phoneNumber, string purpose, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var key = (phoneNumber, purpose);
            var lockout = _lockouts.GetValueOrDefault(key);
            return ValueTask.FromResult(new PhoneCounterState(
                _counters.PhoneSends(phoneNumber, purpose),
                _cooldowns.TryGetValue(key, out var cooldown) ? cooldown : null,
                lockout.Failures,
                lockout.LockedUntil == default ? null : lockout.LockedUntil));
        }
    }

    public ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpAsync(string clientIp, string purpose, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(_counters.IpSends(clientIp, purpose));
        }
    }

    public ValueTask<IReadOnlyList<IpCountry>> ReadIpCountriesAsync(string clientIp, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(_counters.Countries(clientIp));
        }
    }

    public ValueTask<CounterSnapshot> ReadCounterAsync(string scope, string key, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(_counters.Counter(scope, key));
        }
    }

    public ValueTask ResetPhoneAsync(string phoneNumber, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _counters.ResetPhone(phoneNumber, purpose);
            _cooldowns.Remove((phoneNumber, purpose));
            _lockouts.Remove((phoneNumber, purpose));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ResetIpAsync(string clientIp, IReadOnlyCollection<string> purposes, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _counters.ResetIp(clientIp, purposes);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ResetCounterAsync(string scope, string key, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            _counters.ResetCounter(scope, key);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<BlockEntry>> ListBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(_counters.Blocks(now));
        }
    }

    public ValueTask<bool> UnblockAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return ValueTask.FromResult(_counters.Unblock(scope, key, now));
        }
    }
}
