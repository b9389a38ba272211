using Verify.Delivery;
using Verify.Engine.Codes;
using Verify.Engine.Storage;
using Verify.Engine.Storage.Redis;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// The record format the Redis store shares with its Lua scripts: a record survives the trip through
/// <see cref="RedisRecordCodec"/> with every optional field present or absent, integers take the
/// encodings Lua's cmsgpack takes, and a damaged value is refused as <see cref="FormatException"/>.
/// </summary>
public sealed class MessagePackCodecTests
{
    private const string Id = "VE0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_795_420_800_123);

    public static TheoryData<bool, bool, bool> OptionalFields()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (var idempotencyKey in (bool[])[false, true])
        {
            foreach (var fingerprint in (bool[])[false, true])
            {
                foreach (var previous in (bool[])[false, true])
                {
                    data.Add(idempotencyKey, fingerprint, previous);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OptionalFields))]
    public void EncodeDecode_OptionalFieldsPresentOrAbsent_GivesBackTheSameRecord(bool idempotencyKey, bool fingerprint, bool previous)
    {
        var record = Record(idempotencyKey, fingerprint, previous);

        var decoded = RedisRecordCodec.Decode(Id, RedisRecordCodec.Encode(record));

        AssertSameRecord(record, decoded);
        Assert.Equal(idempotencyKey, decoded.IdempotencyKey is not null);
        Assert.Equal(fingerprint, decoded.Code.TransactionFingerprint is not null);
        Assert.Equal(previous, decoded.PreviousCode is not null);
    }

    [Fact]
    public void EncodeDecode_PreviousCodeWithItsOwnFingerprintAndLongUnicodeIdempotencyKey_GivesBackTheSameRecord()
    {
        var record = Record(idempotencyKey: true, fingerprint: false, previous: true) with
        {
            IdempotencyKey = "заказ-№42-✓-" + new string('k', 40),
            PreviousCode = new StoredCode("k0", Bytes(32, 9), Created + TimeSpan.FromMinutes(4), Bytes(32, 77)),
            Status = VerificationState.MaxAttemptsReached,
            DeliveryStatus = DeliveryState.Failed,
            Alphabet = CodeAlphabet.Alphanumeric,
            CodeLength = 10,
        };

        AssertSameRecord(record, RedisRecordCodec.Decode(Id, RedisRecordCodec.Encode(record)));
    }

    [Theory]
    [InlineData(null, null, 25)]
    [InlineData(0, null, 26)]
    [InlineData(3, 1_000L, 27)]
    [InlineData(null, 1_000L, 27)]
    public void Encode_AnyRecord_IsAMessagePackArrayUpToItsLastPresentFieldNeverShorterThan25(int? failuresInARow, long? lockedForMs, int expectedFields)
    {
        var record = Record(idempotencyKey: false, fingerprint: false, previous: false) with
        {
            FailuresInARow = failuresInARow,
            LockedOutUntil = lockedForMs is { } ms ? Created + TimeSpan.FromMilliseconds(ms) : null,
        };

        var blob = RedisRecordCodec.Encode(record);

        // array 16 (0xdc): what cmsgpack.pack writes for a table of 16 entries or more, so scripts and C# read the
        // same bytes. 25 fields is what the release before reads (wrong codes in a row kept in the number's state).
        Assert.Equal([0xdc, 0x00, (byte)expectedFields], blob[..3]);
        AssertSameRecord(record, RedisRecordCodec.Decode(Id, blob));
    }

    [Fact]
    public void Decode_RecordOfALaterReleaseWithMoreFields_ReadsTheFieldsItKnows()
    {
        var record = Record(idempotencyKey: true, fingerprint: false, previous: true) with
        {
            FailuresInARow = 2,
            LockedOutUntil = Created + TimeSpan.FromMinutes(15),
        };
        var later = WithLaterFields(record, 2, new MessagePackWriter().WriteString("a field of a later release").WriteInt64(42).ToArray());

        AssertSameRecord(record, RedisRecordCodec.Decode(Id, later));
    }

    [Fact]
    public void Decode_ALaterFieldNestedDeeperThanAnyRecord_ThrowsFormatException()
    {
        // Skipping an unknown field recurses into it: a hostile value nesting thousands deep must not overflow the stack.
        var record = Record(idempotencyKey: false, fingerprint: false, previous: false) with
        {
            FailuresInARow = 1,
            LockedOutUntil = Created + TimeSpan.FromMinutes(1),
        };
        var shallow = WithLaterFields(record, 1, [.. Enumerable.Repeat((byte)0x91, 3), 0x00]);
        var hostile = WithLaterFields(record, 1, [.. Enumerable.Repeat((byte)0x91, 100_000), 0x00]);

        AssertSameRecord(record, RedisRecordCodec.Decode(Id, shallow));
        Assert.Throws<FormatException>(() => RedisRecordCodec.Decode(Id, hostile));
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(1795420800123L, "cf000001a2076b447b")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "d3ffffffffffffffff")]
    [InlineData(-300000L, "d3fffffffffffb6c20")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void WriteInt64_Boundaries_TakesTheSmallestEncodingAndReadsBack(long value, string expectedHex)
    {
        var bytes = new MessagePackWriter().WriteInt64(value).ToArray();

        Assert.Equal(expectedHex, Convert.ToHexStringLower(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.Equal(value, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("ff", -1L)]
    [InlineData("e0", -32L)]
    [InlineData("d080", -128L)]
    [InlineData("d0ff", -1L)]
    [InlineData("d18000", -32768L)]
    [InlineData("d280000000", -2147483648L)]
    [InlineData("d38000000000000000", long.MinValue)]
    [InlineData("cc00", 0L)]
    [InlineData("cd0080", 128L)]
    [InlineData("ce0000ffff", 65535L)]
    public void ReadInt64_EncodingsOtherWritersChoose_ReadsTheValue(string hex, long expected)
    {
        // cmsgpack packs negatives in the smallest signed form, and any writer may pick a wider one than needed.
        var reader = new MessagePackReader(Convert.FromHexString(hex));

        Assert.Equal(expected, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    public void WriteBytes_LengthBoundaries_ReadsBackTheSameBytes(int length)
    {
        var value = Bytes(length, 3);

        var encoded = new MessagePackWriter().WriteBytes(value).ToArray();

        var reader = new MessagePackReader(encoded);
        Assert.Equal(value, reader.ReadBytes().ToArray());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cc")]
    [InlineData("cd01")]
    [InlineData("ce000100")]
    [InlineData("cf00000001000000")]
    [InlineData("d0")]
    [InlineData("d3ffffffffffffff")]
    public void ReadInt64_Truncated_ThrowsFormatException(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).ReadInt64());
    }

    [Theory]
    [InlineData("a5616263")]
    [InlineData("d9")]
    [InlineData("d920616263")]
    [InlineData("da0100")]
    [InlineData("db0000000261")]
    public void ReadBytes_Truncated_ThrowsFormatException(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).ReadBytes().Length);
    }

    [Theory]
    [InlineData("a161")] // a string where an integer belongs
    [InlineData("c0")] // nil
    [InlineData("c3")] // true
    [InlineData("cb3ff0000000000000")] // float 64
    [InlineData("90")] // an array
    [InlineData("80")] // a map
    public void ReadInt64_AnotherType_ThrowsFormatException(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<FormatException>(() => new MessagePackReader(bytes).ReadInt64());
    }

    [Theory]
    [InlineData("int", "cf8000000000000000")] // uint64 above long.MaxValue
    [InlineData("int", "cfffffffffffffffff")]
    [InlineData("array", "ddffffffff")] // array 32 of 4,294,967,295
    [InlineData("array", "dd80000000")]
    [InlineData("bytes", "dbffffffff61")] // str 32 of 4,294,967,295 bytes
    [InlineData("bytes", "c6ffffffff61")] // bin 32
    public void Read_ValueOrLengthBeyondItsRange_ThrowsFormatException(string what, string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<FormatException>(() => what switch
        {
            "int" => new MessagePackReader(bytes).ReadInt64(),
            "array" => new MessagePackReader(bytes).ReadArrayHeader(),
            _ => new MessagePackReader(bytes).ReadBytes().Length,
        });
    }

    [Fact]
    public void Decode_EveryTruncationOfARecordWithEveryFieldPresent_ThrowsFormatException()
    {
        var blob = RedisRecordCodec.Encode(Record(idempotencyKey: true, fingerprint: true, previous: true));

        for (var length = 0; length < blob.Length; length++)
        {
            var truncated = blob[..length];
            Assert.Throws<FormatException>(() => RedisRecordCodec.Decode(Id, truncated));
        }
    }

    [Fact]
    public void Decode_EveryTruncationOfARecordWithoutPreviousCode_ThrowsFormatException()
    {
        var blob = RedisRecordCodec.Encode(Record(idempotencyKey: false, fingerprint: false, previous: false));

        for (var length = 0; length < blob.Length; length++)
        {
            var truncated = blob[..length];
            Assert.Throws<FormatException>(() => RedisRecordCodec.Decode(Id, truncated));
        }
    }

    [Theory]
    [InlineData("00")] // an integer, not an array
    [InlineData("a3616263")] // a string
    [InlineData("9100")] // an array of 1
    [InlineData("dc0017")] // an array of 23 (one field short)
    [InlineData("dc0019")] // an array of 25 with no fields after the header
    [InlineData("c0")] // nil
    [InlineData("ffffffff")] // noise
    public void Decode_NotARecord_ThrowsFormatException(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<FormatException>(() => RedisRecordCodec.Decode(Id, bytes));
    }

    [Fact]
    public void Decode_AFieldOfTheWrongType_ThrowsFormatException()
    {
        // The status (4th field) as a string: what a hand-edited or foreign value would look like.
        var blob = new MessagePackWriter()
            .WriteArrayHeader(24)
            .WriteString("+8613812345678").WriteString("login").WriteString("en")
            .WriteString("0")
            .ToArray();

        Assert.Throws<FormatException>(() => RedisRecordCodec.Decode(Id, blob));
    }

    [Fact]
    public void Decode_OneByteCorruptions_ThrowFormatExceptionOrGiveARecordWithItsCode()
    {
        // Seeded, so a failure is reproducible: every outcome is a FormatException or a whole record.
        var random = new Random(20261122);
        var template = RedisRecordCodec.Encode(Record(idempotencyKey: true, fingerprint: true, previous: true));
        for (var i = 0; i < 20_000; i++)
        {
            var noisy = (byte[])template.Clone();
            noisy[random.Next(3, noisy.Length)] = (byte)random.Next(256);
            try
            {
                var record = RedisRecordCodec.Decode(Id, noisy);
                Assert.NotNull(record.Code);
            }
            catch (FormatException)
            {
            }
        }
    }

    [Fact]
    public void Decode_RecordWithoutItsCurrentCode_ThrowsFormatException()
    {
        var writer = new MessagePackWriter()
            .WriteArrayHeader(24)
            .WriteString("+8613812345678").WriteString("login").WriteString("en")
            .WriteInt64(0).WriteInt64(1_795_420_800_123).WriteInt64(300_000).WriteInt64(60_000)
            .WriteInt64(5).WriteInt64(0).WriteInt64(1).WriteInt64(1).WriteInt64(6).WriteInt64(0)
            .WriteBytes(Convert.FromHexString("0123456789abcdef")).WriteAbsent().WriteAbsent();
        for (var i = 0; i < 8; i++)
        {
            writer.WriteAbsent();
        }

        var blob = writer.ToArray();

        Assert.Throws<FormatException>(() => RedisRecordCodec.Decode(Id, blob));
    }

    private static VerificationRecord Record(bool idempotencyKey, bool fingerprint, bool previous) => new()
    {
        Id = Id,
        PhoneNumber = "+8613812345678",
        Purpose = "login",
        Locale = "zh-CN",
        Status = VerificationState.Pending,
        CreatedAt = Created,
        ExpiresAt = Created + TimeSpan.FromMinutes(5),
        NextSendAt = Created + TimeSpan.FromSeconds(60),
        MaxAttempts = 5,
        FailedAttempts = 2,
        SendCount = 3,
        DeliveryStatus = DeliveryState.Sent,
        Code = new StoredCode("k2", Bytes(32, 1), Created + TimeSpan.FromMinutes(5), fingerprint ? Bytes(32, 2) : null),
        PreviousCode = previous ? new StoredCode("k1", Bytes(32, 5), Created + TimeSpan.FromMinutes(3), fingerprint ? Bytes(32, 6) : null) : null,
        CodeLength = 6,
        Alphabet = CodeAlphabet.Digits,
        IdempotencyKey = idempotencyKey ? "order-7f3a9c" : null,
        LastSendId = "0123456789abcdef",
        Owner = "a1b2c3d4e5f6",
    };

    /// <summary>A record with every field present, as a later release would write it with <paramref name="count"/> more fields after them.</summary>
    private static byte[] WithLaterFields(VerificationRecord record, int count, byte[] laterFields)
    {
        var blob = RedisRecordCodec.Encode(record);
        Assert.Equal([0xdc, 0x00, 27], blob[..3]);
        blob[2] = (byte)(27 + count);
        return [.. blob, .. laterFields];
    }

    private static byte[] Bytes(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed))];

    private static void AssertSameRecord(VerificationRecord expected, VerificationRecord actual)
    {
        // StoredCode holds arrays, which record equality compares by reference: compare them by content.
        Assert.Equal(expected with { Code = null!, PreviousCode = null }, actual with { Code = null!, PreviousCode = null });
        AssertSameCode(expected.Code, actual.Code);
        AssertSameCode(expected.PreviousCode, actual.PreviousCode);
    }

    private static void AssertSameCode(StoredCode? expected, StoredCode? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.KeyId, actual.KeyId);
        Assert.Equal(expected.Hash, actual.Hash);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.TransactionFingerprint, actual.TransactionFingerprint);
    }
}
