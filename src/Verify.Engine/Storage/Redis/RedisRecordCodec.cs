using Verify.Engine.Codes;
using Verify.Delivery;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// A record as Redis keeps it: a MessagePack array in the field order of <see cref="RedisRecordLayout"/>
/// (n u l s c x w m f q d len a sid o idem k h e t pk ph pe pt ch rw lu), times after the creation stored as
/// milliseconds after it, absent fields false. Reads the shorter records of earlier releases, and ignores
/// fields after the last it knows, as the scripts do: a later release can add one without breaking this one.
/// </summary>
internal static class RedisRecordCodec
{
    private static readonly int FieldCount = RedisRecordLayout.Fields.Count;

    /// <summary>Records written before the channel field (ch) was added: read as text messages.</summary>
    private const int FieldCountWithoutChannel = 24;

    /// <summary>Records without wrong codes in a row (rw, lu): the release before this one wrote and reads only these.</summary>
    private const int FieldCountWithoutFailuresInARow = RedisRecordLayout.ShortestWritten;

    /// <summary>The record a stored value holds; <see cref="FormatException"/> for anything that is not one.</summary>
    public static VerificationRecord Decode(string id, ReadOnlySpan<byte> blob)
    {
        try
        {
            return DecodeRecord(id, blob);
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or OverflowException)
        {
            // Times out of DateTimeOffset's range.
            throw new FormatException("A stored record holds a value out of range.", exception);
        }
    }

    private static VerificationRecord DecodeRecord(string id, ReadOnlySpan<byte> blob)
    {
        var reader = new MessagePackReader(blob);
        var fields = reader.ReadArrayHeader();
        if (fields < FieldCountWithoutChannel)
        {
            throw new FormatException("A stored record has the wrong number of fields.");
        }

        var phone = reader.ReadString();
        var purpose = reader.ReadString();
        var locale = reader.ReadString();
        var status = (VerificationState)reader.ReadInt64();
        var created = reader.ReadInt64();
        var expires = created + reader.ReadInt64();
        var nextSend = created + reader.ReadInt64();
        var maxAttempts = (int)reader.ReadInt64();
        var failed = (int)reader.ReadInt64();
        var sends = (int)reader.ReadInt64();
        var delivery = (DeliveryState)reader.ReadInt64();
        var codeLength = (int)reader.ReadInt64();
        var alphabet = (CodeAlphabet)reader.ReadInt64();
        var sendId = Convert.ToHexStringLower(reader.ReadBytes());
        var owner = reader.TryReadAbsent() ? string.Empty : Convert.ToHexStringLower(reader.ReadBytes());
        var idempotencyKey = reader.TryReadAbsent() ? null : reader.ReadString();
        var code = ReadCode(ref reader, created) ?? throw new FormatException("A stored record has no current code.");
        var previous = ReadCode(ref reader, created);
        var channel = fields > FieldCountWithoutChannel && !reader.TryReadAbsent() ? (DeliveryChannel)reader.ReadInt64() : DeliveryChannel.Sms;
        int? failuresInARow = fields > FieldCountWithoutFailuresInARow && !reader.TryReadAbsent() ? checked((int)reader.ReadInt64()) : null;
        long? lockedOutUntil = fields > FieldCountWithoutFailuresInARow + 1 && !reader.TryReadAbsent() ? created + reader.ReadInt64() : null;
        for (var later = fields - FieldCount; later > 0; later--)
        {
            reader.Skip();
        }

        if (!reader.End)
        {
            throw new FormatException("A stored record has bytes after its last field.");
        }

        return new VerificationRecord
        {
            Id = id,
            PhoneNumber = phone,
            Purpose = purpose,
            Locale = locale,
            Status = status,
            CreatedAt = Time(created),
            ExpiresAt = Time(expires),
            NextSendAt = Time(nextSend),
            MaxAttempts = maxAttempts,
            FailedAttempts = failed,
            SendCount = sends,
            DeliveryStatus = delivery,
            Channel = channel,
            CodeLength = codeLength,
            Alphabet = alphabet,
            LastSendId = sendId,
            Owner = owner,
            IdempotencyKey = idempotencyKey,
            Code = code,
            PreviousCode = previous,
            FailuresInARow = failuresInARow,
            LockedOutUntil = lockedOutUntil is { } until ? Time(until) : null,
        };
    }

    public static byte[] Encode(VerificationRecord record)
    {
        var created = Ms(record.CreatedAt);

        // Up to the last field present, as the scripts' encoder: a record without wrong codes in a row is
        // one the release before reads.
        var fields = record.LockedOutUntil is not null ? FieldCount
            : record.FailuresInARow is not null ? FieldCount - 1
            : FieldCountWithoutFailuresInARow;
        var writer = new MessagePackWriter()
            .WriteArrayHeader(fields)
            .WriteString(record.PhoneNumber)
            .WriteString(record.Purpose)
            .WriteString(record.Locale)
            .WriteInt64((int)record.Status)
            .WriteInt64(created)
            .WriteInt64(Ms(record.ExpiresAt) - created)
            .WriteInt64(Ms(record.NextSendAt) - created)
            .WriteInt64(record.MaxAttempts)
            .WriteInt64(record.FailedAttempts)
            .WriteInt64(record.SendCount)
            .WriteInt64((int)record.DeliveryStatus)
            .WriteInt64(record.CodeLength)
            .WriteInt64((int)record.Alphabet)
            .WriteBytes(Convert.FromHexString(record.LastSendId));
        _ = record.Owner.Length == 0 ? writer.WriteAbsent() : writer.WriteBytes(Convert.FromHexString(record.Owner));
        _ = record.IdempotencyKey is null ? writer.WriteAbsent() : writer.WriteString(record.IdempotencyKey);
        WriteCode(writer, record.Code, created);
        WriteCode(writer, record.PreviousCode, created);
        writer.WriteInt64((int)record.Channel);
        if (fields > FieldCountWithoutFailuresInARow)
        {
            _ = record.FailuresInARow is { } failures ? writer.WriteInt64(failures) : writer.WriteAbsent();
        }

        if (record.LockedOutUntil is { } until)
        {
            writer.WriteInt64(Ms(until) - created);
        }

        return writer.ToArray();
    }

    public static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static StoredCode? ReadCode(ref MessagePackReader reader, long created)
    {
        if (reader.TryReadAbsent())
        {
            // The whole code is absent: its hash, expiry and fingerprint must be too.
            for (var i = 0; i < 3; i++)
            {
                if (!reader.TryReadAbsent())
                {
                    throw new FormatException("A stored code is only partly absent.");
                }
            }

            return null;
        }

        var keyId = reader.ReadString();
        var hash = reader.ReadBytes().ToArray();
        var expires = created + reader.ReadInt64();
        var fingerprint = reader.TryReadAbsent() ? null : reader.ReadBytes().ToArray();
        return new StoredCode(keyId, hash, Time(expires), fingerprint);
    }

    private static void WriteCode(MessagePackWriter writer, StoredCode? code, long created)
    {
        if (code is null)
        {
            writer.WriteAbsent().WriteAbsent().WriteAbsent().WriteAbsent();
            return;
        }

        writer.WriteString(code.KeyId).WriteBytes(code.Hash).WriteInt64(Ms(code.ExpiresAt) - created);
        _ = code.TransactionFingerprint is null ? writer.WriteAbsent() : writer.WriteBytes(code.TransactionFingerprint);
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
