using System.Buffers.Binary;
using System.Text;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// Writes what <see cref="MessagePackReader"/> reads: the smallest encoding for a non-negative integer,
/// as Lua's cmsgpack chooses (negatives, which records never hold, as int64); strings carry binary.
/// Written straight into one growing array: a check packs its hashes on every call.
/// </summary>
internal sealed class MessagePackWriter
{
    private byte[] _buffer = new byte[160];
    private int _length;

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public MessagePackWriter WriteArrayHeader(int count)
    {
        if (count <= 15)
        {
            Take(1)[0] = (byte)(0x90 | count);
        }
        else
        {
            var span = Take(3);
            span[0] = 0xdc;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], checked((ushort)count));
        }

        return this;
    }

    public MessagePackWriter WriteAbsent()
    {
        Take(1)[0] = 0xc2;
        return this;
    }

    public MessagePackWriter WriteInt64(long value)
    {
        switch (value)
        {
            case >= 0 and <= 0x7f:
                Take(1)[0] = (byte)value;
                break;
            case >= 0 and <= byte.MaxValue:
                var one = Take(2);
                (one[0], one[1]) = (0xcc, (byte)value);
                break;
            case >= 0 and <= ushort.MaxValue:
                var two = Take(3);
                two[0] = 0xcd;
                BinaryPrimitives.WriteUInt16BigEndian(two[1..], (ushort)value);
                break;
            case >= 0 and <= uint.MaxValue:
                var four = Take(5);
                four[0] = 0xce;
                BinaryPrimitives.WriteUInt32BigEndian(four[1..], (uint)value);
                break;
            case >= 0:
                var eight = Take(9);
                eight[0] = 0xcf;
                BinaryPrimitives.WriteUInt64BigEndian(eight[1..], (ulong)value);
                break;
            default:
                var signed = Take(9);
                signed[0] = 0xd3;
                BinaryPrimitives.WriteInt64BigEndian(signed[1..], value);
                break;
        }

        return this;
    }

    public MessagePackWriter WriteBytes(ReadOnlySpan<byte> value)
    {
        switch (value.Length)
        {
            case <= 31:
                Take(1)[0] = (byte)(0xa0 | value.Length);
                break;
            case <= byte.MaxValue:
                var one = Take(2);
                (one[0], one[1]) = (0xd9, (byte)value.Length);
                break;
            default:
                var two = Take(3);
                two[0] = 0xda;
                BinaryPrimitives.WriteUInt16BigEndian(two[1..], checked((ushort)value.Length));
                break;
        }

        value.CopyTo(Take(value.Length));
        return this;
    }

    public MessagePackWriter WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(value, utf8);
        return WriteBytes(utf8);
    }

    /// <summary>The next <paramref name="count"/> bytes of the buffer, grown as needed.</summary>
    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
