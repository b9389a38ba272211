using Verify.Server.Configuration;
using Verify.Server.Throttling;

namespace Verify.Server.Storage;

/// <summary>
/// The sliding logs of the in-memory store: per number and purpose, per client IP, per counter across
/// purposes (number, country, prefix, caller, global), the destination countries of each IP, and the
/// pumping guard's approvals and blocks. Not thread-safe: the store calls it under its lock, so a
/// start checks every limit before it counts in any.
/// </summary>
internal sealed class InMemoryCounters
{
    // No window may be longer than this (the validators), so older entries never count again.
    private static readonly TimeSpan LongestWindow = TimeSpan.FromDays(31);

    private const string NumberScope = "number";

    private readonly Dictionary<string, List<(DateTimeOffset At, string SendId)>> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _approvals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, (DateTimeOffset At, string SendId)>> _ipCountries = new(StringComparer.Ordinal);

    /// <summary>
    /// The first limit a start would break, in the order the Redis store meets them: the number's own
    /// (its windows for the purpose, then across purposes), the client IP, then the counters shared
    /// with other numbers. Null when every one has room.
    /// </summary>
    public StartResult.Throttled? FirstRefusal(StartCommand command, DateTimeOffset now)
    {
        var policy = command.Policy;
        if (FirstExceeded(PhoneLog(command), policy.PhoneLimits, now, "phone", command) is { } phone)
        {
            return phone;
        }

        foreach (var counter in command.Counters.Where(c => c.Scope == NumberScope))
        {
            if (FirstExceeded(CounterLog(counter), counter.Windows, now, counter.Scope, command) is { } number)
            {
                return number;
            }
        }

        if (command.ClientIp is { } ip)
        {
            if (FirstExceeded(IpLog(ip, command.Purpose), policy.IpLimits, now, "ip", command) is { } refusal)
            {
                return refusal;
            }

            if (command.CountriesPerIp is { } countries && !HasRoomForCountry(ip, command.Country, countries, now))
            {
                return Throttled(ThrottleMessages.IpCountries, command, countries.Window);
            }
        }

        foreach (var counter in command.Counters.Where(c => c.Scope != NumberScope))
        {
            var key = CounterLog(counter);
            if (_blocks.TryGetValue(key, out var blockedUntil) && blockedUntil > now)
            {
                return Throttled($"{counter.Scope}:pumping", command, blockedUntil - now);
            }

            if (FirstExceeded(key, counter.Windows, now, counter.Scope, command) is { } refusal)
            {
                return refusal;
            }

            if (counter.Pumping is { } rule && IsPumped(key, rule, now))
            {
                _blocks[key] = now + rule.BlockFor;
                var subject = $"{counter.Scope}:pumping";
                return Throttled(subject, command, rule.BlockFor) with { NewBlocks = [subject] };
            }
        }

        return null;
    }

    public void Count(StartCommand command)
    {
        var entry = (command.Now, command.SendId);
        Log(PhoneLog(command)).Add(entry);
        if (command.ClientIp is { } ip)
        {
            Log(IpLog(ip, command.Purpose)).Add(entry);
            if (command.CountriesPerIp is not null)
            {
                var countries = IpCountries(ip);
                if (!countries.ContainsKey(command.Country))
                {
                    countries[command.Country] = entry;
                }
            }
        }

        foreach (var counter in command.Counters)
        {
            Log(CounterLog(counter)).Add(entry);
        }
    }

    /// <summary>Takes back every count of one send, as if it never happened.</summary>
    public void Refund(StartCommand command)
    {
        Remove(PhoneLog(command), command.SendId);
        if (command.ClientIp is { } ip)
        {
            Remove(IpLog(ip, command.Purpose), command.SendId);
            if (_ipCountries.TryGetValue(ip, out var countries) && countries.TryGetValue(command.Country, out var seen) && seen.SendId == command.SendId)
            {
                countries.Remove(command.Country);
            }
        }

        foreach (var counter in command.Counters)
        {
            Remove(CounterLog(counter), command.SendId);
        }
    }

    public void RecordApproval(IReadOnlyList<CounterLimit> counters, DateTimeOffset now)
    {
        foreach (var counter in counters.Where(c => c.Pumping is not null))
        {
            var key = CounterLog(counter);
            if (!_approvals.TryGetValue(key, out var approvals))
            {
                _approvals[key] = approvals = [];
            }

            approvals.Add(now);
        }
    }

    public void Sweep(DateTimeOffset now)
    {
        var horizon = now - LongestWindow;
        foreach (var (key, log) in _logs.ToList())
        {
            log.RemoveAll(entry => entry.At <= horizon);
            if (log.Count == 0)
            {
                _logs.Remove(key);
            }
        }

        foreach (var (key, approvals) in _approvals.ToList())
        {
            approvals.RemoveAll(at => at <= horizon);
            if (approvals.Count == 0)
            {
                _approvals.Remove(key);
            }
        }

        foreach (var key in _blocks.Where(b => b.Value <= now).Select(b => b.Key).ToList())
        {
            _blocks.Remove(key);
        }

        foreach (var (ip, countries) in _ipCountries.ToList())
        {
            foreach (var country in countries.Where(c => c.Value.At <= horizon).Select(c => c.Key).ToList())
            {
                countries.Remove(country);
            }

            if (countries.Count == 0)
            {
                _ipCountries.Remove(ip);
            }
        }
    }

    private static StartResult.Throttled Throttled(string subject, StartCommand command, TimeSpan retryAfter) =>
        new(subject, ThrottleMessages.Describe(subject, command), retryAfter);

    public IReadOnlyList<DateTimeOffset> PhoneSends(string phoneNumber, string purpose) => Sends(PhoneLog(phoneNumber, purpose));

    public IReadOnlyList<DateTimeOffset> IpSends(string clientIp, string purpose) => Sends(IpLog(clientIp, purpose));

    public IReadOnlyList<IpCountry> Countries(string clientIp) =>
        _ipCountries.TryGetValue(clientIp, out var countries) ? [.. countries.Select(c => new IpCountry(c.Key, c.Value.At))] : [];

    public CounterSnapshot Counter(string scope, string key)
    {
        var log = CounterLog(scope, key);
        return new CounterSnapshot(
            Sends(log),
            _approvals.TryGetValue(log, out var approvals) ? [.. approvals] : [],
            _blocks.TryGetValue(log, out var until) ? until : null);
    }

    public void ResetPhone(string phoneNumber, string purpose) => _logs.Remove(PhoneLog(phoneNumber, purpose));

    public void ResetIp(string clientIp, IEnumerable<string> purposes)
    {
        foreach (var purpose in purposes)
        {
            _logs.Remove(IpLog(clientIp, purpose));
        }

        _ipCountries.Remove(clientIp);
    }

    public void ResetCounter(string scope, string key)
    {
        var log = CounterLog(scope, key);
        _logs.Remove(log);
        _approvals.Remove(log);
        _blocks.Remove(log);
    }

    public IReadOnlyList<BlockEntry> Blocks(DateTimeOffset now) =>
        [.. _blocks.Where(b => b.Value > now).Select(b => b.Key.Split('|', 2) is [var scope, var key] ? new BlockEntry(scope, key, b.Value) : null!)];

    public bool Unblock(string scope, string key, DateTimeOffset now) =>
        _blocks.Remove(CounterLog(scope, key), out var until) && until > now;

    private static string PhoneLog(StartCommand command) => PhoneLog(command.PhoneNumber, command.Purpose);

    private static string PhoneLog(string phoneNumber, string purpose) => $"phone|{phoneNumber}|{purpose}";

    private static string IpLog(string clientIp, string purpose) => $"ip|{clientIp}|{purpose}";

    private static string CounterLog(CounterLimit counter) => CounterLog(counter.Scope, counter.Key);

    private static string CounterLog(string scope, string key) => $"{scope}|{key}";

    private IReadOnlyList<DateTimeOffset> Sends(string key) => _logs.TryGetValue(key, out var log) ? [.. log.Select(entry => entry.At)] : [];

    private StartResult.Throttled? FirstExceeded(string logKey, IReadOnlyList<WindowLimit> limits, DateTimeOffset now, string scope, StartCommand command)
    {
        if (limits.Count == 0 || !_logs.TryGetValue(logKey, out var log))
        {
            return null;
        }

        foreach (var limit in limits)
        {
            var windowStart = now - limit.Window;
            var inWindow = 0;
            var oldest = DateTimeOffset.MaxValue;
            foreach (var (at, _) in log)
            {
                if (at > windowStart)
                {
                    inWindow++;
                    oldest = at < oldest ? at : oldest;
                }
            }

            if (inWindow >= limit.Max)
            {
                // The oldest send in the window leaves it first; then one more fits.
                return Throttled($"{scope}:{limit.Name}", command, oldest + limit.Window - now);
            }
        }

        return null;
    }

    private bool HasRoomForCountry(string ip, string country, WindowLimit limit, DateTimeOffset now)
    {
        var countries = IpCountries(ip);
        foreach (var stale in countries.Where(c => c.Value.At <= now - limit.Window).Select(c => c.Key).ToList())
        {
            countries.Remove(stale);
        }

        return countries.ContainsKey(country) || countries.Count < limit.Max;
    }

    private bool IsPumped(string key, PumpingRule rule, DateTimeOffset now)
    {
        var settled = _logs.TryGetValue(key, out var log)
            ? log.Count(entry => entry.At > now - rule.Window && entry.At <= now - rule.SettleTime)
            : 0;
        var approved = _approvals.TryGetValue(key, out var approvals) ? approvals.Count(at => at > now - rule.Window) : 0;
        return settled >= rule.MinSends && approved < rule.MinConversion * settled;
    }

    private List<(DateTimeOffset At, string SendId)> Log(string key)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            _logs[key] = log = [];
        }

        return log;
    }

    private Dictionary<string, (DateTimeOffset At, string SendId)> IpCountries(string ip)
    {
        if (!_ipCountries.TryGetValue(ip, out var countries))
        {
            _ipCountries[ip] = countries = new(StringComparer.Ordinal);
        }

        return countries;
    }

    private void Remove(string key, string sendId)
    {
        if (_logs.TryGetValue(key, out var log))
        {
            log.RemoveAll(entry => entry.SendId == sendId);
        }
    }
}
