using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;
using Verify.Engine.Codes;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// A check, by id or by number and purpose: one script, one round trip; one more before it when the
/// client IP's wrong codes are limited, on the IP's slot.
/// </summary>
internal sealed partial class RedisVerificationStore
{
    public async ValueTask<CheckOutcome> CheckAsync(CheckCommand command, CancellationToken cancellationToken)
    {
        if (command.ClientBucket is not { } bucket || command.WrongCodesPerIp.Count == 0)
        {
            return await CheckOnceAsync(command, cancellationToken);
        }

        var guess = RandomNumberGenerator.GetBytes(8);
        if (await _admissions.AdmitWrongCodeAsync(bucket, guess, command.WrongCodesPerIp, RedisRecordCodec.Ms(command.Now), cancellationToken) is { } refusal)
        {
            return refusal;
        }

        // If the check fails on the way (Redis gone, deadline), whether it counted is unknown: the guess stays counted.
        var outcome = await CheckOnceAsync(command, cancellationToken);
        if (outcome is not CheckOutcome.Checked { Valid: false, Compared: true })
        {
            // Awaited, so the client's next guess finds it given back (not awaited, a NOSCRIPT retry can land after it).
            try
            {
                await _admissions.RefundWrongCodeAsync(bucket, guess);
            }
            catch (StoreUnavailableException exception)
            {
                // The answer stands; the guess counts until its window ends, which errs towards refusing.
                Log.WrongCodeRefundFailed(logger, exception.Message);
            }
        }

        return outcome;
    }

    private async ValueTask<CheckOutcome> CheckOnceAsync(CheckCommand command, CancellationToken cancellationToken)
    {
        string tag;
        RedisKey key;
        if (command.Id is { } id)
        {
            if (!VerificationId.IsWellFormed(id))
            {
                return CheckOutcome.NotFound.Instance;
            }

            tag = VerificationId.ShardTagOf(id);
            key = keys.Record(tag, id);
        }
        else
        {
            tag = VerificationId.ShardTag(command.PhoneNumber!);
            key = keys.Number(tag, command.PhoneNumber!);
        }

        var parameters = new RedisScripts.CheckParameters(
            key, RedisRecordCodec.Ms(command.Now), command.Id ?? string.Empty, command.Purpose ?? string.Empty,
            keys.RecordPrefixForTag(tag), keys.NumberPrefixForTag(tag),
            command.CodeLength, command.FitsDigits, command.FitsAlphanumeric, OwnerBytes(command.Owner),
            EncodedLockouts(command.Lockouts),
            Pack(command.Hashes), command.LegacyHashes is { } legacy ? Pack(legacy) : [], options.CurrentValue.StatePerCaller);
        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(RedisScripts.Check, parameters, cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CheckOutcome.NotFound.Instance,
            "malformed" => new CheckOutcome.Malformed((int)parts[1]),
            "legacy" => new CheckOutcome.Legacy((string)parts[1]!),
            "throttled" => new CheckOutcome.Throttled(
                (string)parts[1]!, ThrottleMessages.LockedOut((int)parts[3]), TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[2]))),
            _ => new CheckOutcome.Checked((int)parts[1] == 1, RedisRecordCodec.Decode((string)parts[3]!, (byte[])parts[2]!)) { Compared = parts.Length < 5 },
        };
    }

    /// <summary>"purpose|max|ms;...", built once per policy set (the catalog hands out the same dictionary until a reload).</summary>
    private string EncodedLockouts(IReadOnlyDictionary<string, LockoutRule> lockouts)
    {
        var cached = _lockouts;
        if (cached?.Source == lockouts)
        {
            return cached.Encoded;
        }

        var encoded = string.Join(';', lockouts.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key}|{l.Value.MaxFailures}|{(long)l.Value.Duration.TotalMilliseconds}")));
        _lockouts = new EncodedLockoutRules(lockouts, encoded);
        return encoded;
    }

    /// <summary>One msgpack array of [key id, HMAC, transaction fingerprint or ""] per key: a script parameter is one value.</summary>
    private static byte[] Pack(IReadOnlyList<KeyedHash> hashes)
    {
        var packed = new MessagePackWriter().WriteArrayHeader(hashes.Count);
        foreach (var hash in hashes)
        {
            packed.WriteArrayHeader(3).WriteString(hash.KeyId).WriteBytes(hash.Code).WriteBytes(hash.Transaction ?? []);
        }

        return packed.ToArray();
    }

    private sealed record EncodedLockoutRules(IReadOnlyDictionary<string, LockoutRule> Source, string Encoded);
}
