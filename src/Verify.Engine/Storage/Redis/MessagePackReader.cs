using System.Buffers.Binary;
using System.Text;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// Reads the MessagePack subset that Redis's Lua <c>cmsgpack</c> writes for our records: arrays,
/// integers, strings (which carry binary as well), false and nil. No MessagePack package is served
/// here, and this much is small enough to own; a value of any other type is refused.
/// </summary>
internal ref struct MessagePackReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    public int ReadArrayHeader()
    {
        var code = Next();
        return code switch
        {
            >= 0x90 and <= 0x9f => code & 0x0f,
            0xdc => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
            0xdd => Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
            _ => throw Unexpected(code, "an array"),
        };
    }

    /// <summary>
    /// A map's entry count. Lua's cmsgpack writes an empty table as an empty array, so that counts as
    /// an empty map.
    /// </summary>
    public int ReadMapHeader()
    {
        var code = Next();
        return code switch
        {
            >= 0x80 and <= 0x8f => code & 0x0f,
            0x90 => 0,
            0xde => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
            0xdf => Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
            _ => throw Unexpected(code, "a map"),
        };
    }

    /// <summary>Containers nested deeper than this are refused: no record or state nests more than two.</summary>
    private const int MaxSkipDepth = 16;

    /// <summary>Steps over one value of any type this reader knows, containers included (nested at most <see cref="MaxSkipDepth"/> deep).</summary>
    public void Skip() => Skip(0);

    private void Skip(int depth)
    {
        if (depth > MaxSkipDepth)
        {
            throw new FormatException("The stored value nests too deep.");
        }

        var code = _position < _data.Length ? _data[_position] : throw new FormatException("The stored value ends early.");
        switch (code)
        {
            case 0xc0 or 0xc2 or 0xc3:
                _position++;
                break;
            case <= 0x7f or >= 0xe0 or (>= 0xcc and <= 0xd3):
                ReadInt64();
                break;
            case (>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb or 0xc4 or 0xc5 or 0xc6:
                ReadBytes();
                break;
            case (>= 0x90 and <= 0x9f) or 0xdc or 0xdd:
                for (var count = ReadArrayHeader(); count > 0; count--)
                {
                    Skip(depth + 1);
                }

                break;
            case (>= 0x80 and <= 0x8f) or 0xde or 0xdf:
                for (var count = ReadMapHeader() * 2; count > 0; count--)
                {
                    Skip(depth + 1);
                }

                break;
            default:
                throw Unexpected(code, "a value");
        }
    }

    /// <summary>False and nil both mean "absent" in our records.</summary>
    public bool TryReadAbsent()
    {
        if (_position < _data.Length && _data[_position] is 0xc0 or 0xc2)
        {
            _position++;
            return true;
        }

        return false;
    }

    public long ReadInt64()
    {
        var code = Next();
        return code switch
        {
            <= 0x7f => code,
            >= 0xe0 => (sbyte)code,
            0xcc => Take(1)[0],
            0xcd => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
            0xce => BinaryPrimitives.ReadUInt32BigEndian(Take(4)),
            0xcf => BinaryPrimitives.ReadUInt64BigEndian(Take(8)) is var value && value <= long.MaxValue
                ? (long)value
                : throw new FormatException("A stored integer is out of range."),
            0xd0 => (sbyte)Take(1)[0],
            0xd1 => BinaryPrimitives.ReadInt16BigEndian(Take(2)),
            0xd2 => BinaryPrimitives.ReadInt32BigEndian(Take(4)),
            0xd3 => BinaryPrimitives.ReadInt64BigEndian(Take(8)),
            _ => throw Unexpected(code, "an integer"),
        };
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var code = Next();
        var length = code switch
        {
            >= 0xa0 and <= 0xbf => code & 0x1f,
            0xd9 or 0xc4 => Take(1)[0],
            0xda or 0xc5 => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
            0xdb or 0xc6 => Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
            _ => throw Unexpected(code, "a string"),
        };
        return Take(length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    private static int Length(uint length) =>
        length <= int.MaxValue ? (int)length : throw new FormatException("A stored length is out of range.");

    private byte Next() => Take(1)[0];

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new FormatException("The stored value ends early.");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly FormatException Unexpected(byte code, string expected) =>
        new($"Stored value: 0x{code:x2} at {_position - 1} where {expected} belongs.");
}
