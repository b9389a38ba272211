using System.Buffers.Binary;
using System.Text;

namespace Verify.Server.Storage.Redis;

/// <summary>
/// Writes what <see cref="MessagePackReader"/> reads: the smallest encoding for a non-negative integer,
/// as Lua's cmsgpack chooses (negatives, which records never hold, as int64); strings carry binary.
/// </summary>
internal sealed class MessagePackWriter
{
    private readonly List<byte> _buffer = new(160);

    public byte[] ToArray() => [.. _buffer];

    public MessagePackWriter WriteArrayHeader(int count)
    {
        if (count <= 15)
        {
            _buffer.Add((byte)(0x90 | count));
        }
        else
        {
            _buffer.Add(0xdc);
            Append(stackalloc byte[2], span => BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)count)));
        }

        return this;
    }

    public MessagePackWriter WriteAbsent()
    {
        _buffer.Add(0xc2);
        return this;
    }

    public MessagePackWriter WriteInt64(long value)
    {
        switch (value)
        {
            case >= 0 and <= 0x7f:
                _buffer.Add((byte)value);
                break;
            case >= 0 and <= byte.MaxValue:
                _buffer.Add(0xcc);
                _buffer.Add((byte)value);
                break;
            case >= 0 and <= ushort.MaxValue:
                _buffer.Add(0xcd);
                Append(stackalloc byte[2], span => BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value));
                break;
            case >= 0 and <= uint.MaxValue:
                _buffer.Add(0xce);
                Append(stackalloc byte[4], span => BinaryPrimitives.WriteUInt32BigEndian(span, (uint)value));
                break;
            case >= 0:
                _buffer.Add(0xcf);
                Append(stackalloc byte[8], span => BinaryPrimitives.WriteUInt64BigEndian(span, (ulong)value));
                break;
            default:
                _buffer.Add(0xd3);
                Append(stackalloc byte[8], span => BinaryPrimitives.WriteInt64BigEndian(span, value));
                break;
        }

        return this;
    }

    public MessagePackWriter WriteBytes(ReadOnlySpan<byte> value)
    {
        switch (value.Length)
        {
            case <= 31:
                _buffer.Add((byte)(0xa0 | value.Length));
                break;
            case <= byte.MaxValue:
                _buffer.Add(0xd9);
                _buffer.Add((byte)value.Length);
                break;
            default:
                var length = checked((ushort)value.Length);
                _buffer.Add(0xda);
                Append(stackalloc byte[2], span => BinaryPrimitives.WriteUInt16BigEndian(span, length));
                break;
        }

        foreach (var b in value)
        {
            _buffer.Add(b);
        }

        return this;
    }

    public MessagePackWriter WriteString(string value) => WriteBytes(Encoding.UTF8.GetBytes(value));

    private void Append(Span<byte> scratch, SpanAction write)
    {
        write(scratch);
        foreach (var b in scratch)
        {
            _buffer.Add(b);
        }
    }

    private delegate void SpanAction(Span<byte> span);
}
