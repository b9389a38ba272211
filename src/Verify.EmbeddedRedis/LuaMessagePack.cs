using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using KeraLua;

namespace Verify.EmbeddedRedis;

/// <summary>
/// <c>cmsgpack.pack</c> and <c>cmsgpack.unpack</c> as Redis's lua-cmsgpack has them: a table whose keys are
/// 1..n (or none) is an array, any other a map; an integral number is the smallest integer form, another a
/// float32 when that is exact, else a float64; strings are str (fixstr, str8/16/32); bin decodes as a string.
/// Both answer <c>ok, ...</c> and leave raising to the Lua wrapper.
/// </summary>
internal static class LuaMessagePack
{
    private const int MaxDepth = 16;

    public static int Pack(IntPtr state)
    {
        var lua = Lua.FromIntPtr(state);
        var output = new MemoryStream();
        var count = lua.GetTop();
        for (var i = 1; i <= count; i++)
        {
            Encode(lua, i, output, 0);
        }

        lua.PushBoolean(true);
        lua.PushBuffer(output.ToArray());
        return 2;
    }

    public static int Unpack(IntPtr state)
    {
        var lua = Lua.FromIntPtr(state);
        if (lua.Type(1) != LuaType.String)
        {
            lua.PushBoolean(false);
            lua.PushString("MessagePack decoding needs a string");
            return 2;
        }

        var input = lua.ToBuffer(1, false) ?? [];
        lua.PushBoolean(true);
        var offset = 0;
        var pushed = 1;
        try
        {
            while (offset < input.Length)
            {
                lua.CheckStack(3);
                Decode(lua, input, ref offset, 0);
                pushed++;
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            lua.SetTop(1);
            lua.PushBoolean(false);
            lua.PushString("Bad data format in input.");
            return 2;
        }

        return pushed;
    }

    /// <summary>A <c>redis.call</c> argument's bytes: a string as is, a number as Redis prints it; else null.</summary>
    public static byte[]? ArgumentBytes(Lua lua, int index) => lua.Type(index) switch
    {
        LuaType.String => lua.ToBuffer(index, false) ?? [],
        LuaType.Number => Encoding.ASCII.GetBytes(NumberText(lua, index)),
        _ => null,
    };

    private static string NumberText(Lua lua, int index)
    {
        if (lua.IsInteger(index))
        {
            return lua.ToInteger(index).ToString(CultureInfo.InvariantCulture);
        }

        var number = lua.ToNumber(index);
        return number == Math.Floor(number) && Math.Abs(number) < 1e17
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("G17", CultureInfo.InvariantCulture);
    }

    private static void Encode(Lua lua, int index, Stream output, int depth)
    {
        index = lua.AbsIndex(index);
        switch (lua.Type(index))
        {
            case LuaType.Boolean:
                output.WriteByte(lua.ToBoolean(index) ? (byte)0xc3 : (byte)0xc2);
                break;
            case LuaType.Number when lua.IsInteger(index):
                EncodeInteger(lua.ToInteger(index), output);
                break;
            case LuaType.Number:
                EncodeNumber(lua.ToNumber(index), output);
                break;
            case LuaType.String:
                EncodeString(lua.ToBuffer(index, false), output);
                break;
            case LuaType.Table when depth < MaxDepth:
                EncodeTable(lua, index, output, depth + 1);
                break;
            default:
                output.WriteByte(0xc0);
                break;
        }
    }

    private static void EncodeTable(Lua lua, int index, Stream output, int depth)
    {
        lua.CheckStack(4);
        long count = 0, max = 0;
        var isArray = true;
        lua.PushNil();
        while (lua.Next(index))
        {
            count++;
            if (isArray && lua.Type(-2) == LuaType.Number && lua.IsInteger(-2) && lua.ToInteger(-2) >= 1)
            {
                max = Math.Max(max, lua.ToInteger(-2));
            }
            else
            {
                isArray = false;
            }

            lua.Pop(1);
        }

        if (isArray && max == count)
        {
            Header(output, count, 0x90, 15, 0xdc, 0xdd);
            for (var i = 1; i <= count; i++)
            {
                lua.RawGetInteger(index, i);
                Encode(lua, -1, output, depth);
                lua.Pop(1);
            }

            return;
        }

        Header(output, count, 0x80, 15, 0xde, 0xdf);
        lua.PushNil();
        while (lua.Next(index))
        {
            Encode(lua, -2, output, depth);
            Encode(lua, -1, output, depth);
            lua.Pop(1);
        }
    }

    private static void Header(Stream output, long count, byte fix, int fixMax, byte with16, byte with32)
    {
        if (count <= fixMax)
        {
            output.WriteByte((byte)(fix | count));
        }
        else if (count <= ushort.MaxValue)
        {
            output.WriteByte(with16);
            Write(output, (ushort)count);
        }
        else
        {
            output.WriteByte(with32);
            Write(output, (uint)count);
        }
    }

    private static void EncodeNumber(double number, Stream output)
    {
        if (number == Math.Floor(number) && number >= long.MinValue && number < 9.2e18)
        {
            EncodeInteger((long)number, output);
        }
        else if ((double)(float)number == number)
        {
            output.WriteByte(0xca);
            Write(output, BitConverter.SingleToUInt32Bits((float)number));
        }
        else
        {
            output.WriteByte(0xcb);
            Write(output, BitConverter.DoubleToUInt64Bits(number));
        }
    }

    private static void EncodeInteger(long value, Stream output)
    {
        switch (value)
        {
            case >= 0 and <= 127: output.WriteByte((byte)value); break;
            case >= 0 and <= byte.MaxValue: output.WriteByte(0xcc); output.WriteByte((byte)value); break;
            case >= 0 and <= ushort.MaxValue: output.WriteByte(0xcd); Write(output, (ushort)value); break;
            case >= 0 and <= uint.MaxValue: output.WriteByte(0xce); Write(output, (uint)value); break;
            case >= 0: output.WriteByte(0xcf); Write(output, (ulong)value); break;
            case >= -32: output.WriteByte((byte)(0xe0 | (value & 0x1f))); break;
            case >= sbyte.MinValue: output.WriteByte(0xd0); output.WriteByte((byte)(sbyte)value); break;
            case >= short.MinValue: output.WriteByte(0xd1); Write(output, (ushort)(short)value); break;
            case >= int.MinValue: output.WriteByte(0xd2); Write(output, (uint)(int)value); break;
            default: output.WriteByte(0xd3); Write(output, (ulong)value); break;
        }
    }

    private static void EncodeString(byte[] value, Stream output)
    {
        if (value.Length < 32)
        {
            output.WriteByte((byte)(0xa0 | value.Length));
        }
        else if (value.Length <= byte.MaxValue)
        {
            output.WriteByte(0xd9);
            output.WriteByte((byte)value.Length);
        }
        else if (value.Length <= ushort.MaxValue)
        {
            output.WriteByte(0xda);
            Write(output, (ushort)value.Length);
        }
        else
        {
            output.WriteByte(0xdb);
            Write(output, (uint)value.Length);
        }

        output.Write(value);
    }

    private static void Write(Stream output, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        output.Write(bytes);
    }

    private static void Write(Stream output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        output.Write(bytes);
    }

    private static void Write(Stream output, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        output.Write(bytes);
    }

    private static void Decode(Lua lua, byte[] input, ref int offset, int depth)
    {
        if (depth > MaxDepth * 4)
        {
            throw new InvalidDataException();
        }

        var type = input[offset++];
        switch (type)
        {
            case <= 0x7f: lua.PushInteger(type); break;
            case >= 0x80 and <= 0x8f: DecodeMap(lua, input, ref offset, type & 0x0f, depth); break;
            case >= 0x90 and <= 0x9f: DecodeArray(lua, input, ref offset, type & 0x0f, depth); break;
            case >= 0xa0 and <= 0xbf: PushBytes(lua, input, ref offset, type & 0x1f); break;
            case 0xc0: lua.PushNil(); break;
            case 0xc2: lua.PushBoolean(false); break;
            case 0xc3: lua.PushBoolean(true); break;
            case 0xc4 or 0xd9: PushBytes(lua, input, ref offset, input[offset++]); break;
            case 0xc5 or 0xda: PushBytes(lua, input, ref offset, (int)Read(input, ref offset, 2)); break;
            case 0xc6 or 0xdb: PushBytes(lua, input, ref offset, checked((int)Read(input, ref offset, 4))); break;
            case 0xca: lua.PushNumber(BitConverter.UInt32BitsToSingle((uint)Read(input, ref offset, 4))); break;
            case 0xcb: lua.PushNumber(BitConverter.UInt64BitsToDouble(Read(input, ref offset, 8))); break;
            case 0xcc: lua.PushInteger((long)Read(input, ref offset, 1)); break;
            case 0xcd: lua.PushInteger((long)Read(input, ref offset, 2)); break;
            case 0xce: lua.PushInteger((long)Read(input, ref offset, 4)); break;
            case 0xcf: lua.PushInteger((long)Read(input, ref offset, 8)); break;
            case 0xd0: lua.PushInteger((sbyte)Read(input, ref offset, 1)); break;
            case 0xd1: lua.PushInteger((short)Read(input, ref offset, 2)); break;
            case 0xd2: lua.PushInteger((int)Read(input, ref offset, 4)); break;
            case 0xd3: lua.PushInteger((long)Read(input, ref offset, 8)); break;
            case 0xdc: DecodeArray(lua, input, ref offset, (int)Read(input, ref offset, 2), depth); break;
            case 0xdd: DecodeArray(lua, input, ref offset, checked((int)Read(input, ref offset, 4)), depth); break;
            case 0xde: DecodeMap(lua, input, ref offset, (int)Read(input, ref offset, 2), depth); break;
            case 0xdf: DecodeMap(lua, input, ref offset, checked((int)Read(input, ref offset, 4)), depth); break;
            case >= 0xe0: lua.PushInteger((sbyte)type); break;
            default: throw new InvalidDataException();
        }
    }

    private static void DecodeArray(Lua lua, byte[] input, ref int offset, int count, int depth)
    {
        lua.CheckStack(3);
        lua.CreateTable(Math.Min(count, 1024), 0);
        for (var i = 1; i <= count; i++)
        {
            Decode(lua, input, ref offset, depth + 1);
            lua.RawSetInteger(-2, i);
        }
    }

    private static void DecodeMap(Lua lua, byte[] input, ref int offset, int count, int depth)
    {
        lua.CheckStack(4);
        lua.CreateTable(0, Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            Decode(lua, input, ref offset, depth + 1);
            Decode(lua, input, ref offset, depth + 1);
            // A NaN key would make RawSet raise a Lua error, which must not unwind through .NET frames.
            if (lua.Type(-2) == LuaType.Nil || (lua.Type(-2) == LuaType.Number && !lua.IsInteger(-2) && double.IsNaN(lua.ToNumber(-2))))
            {
                lua.Pop(2);
                continue;
            }

            lua.RawSet(-3);
        }
    }

    private static void PushBytes(Lua lua, byte[] input, ref int offset, int length)
    {
        if (offset + length > input.Length)
        {
            throw new InvalidDataException();
        }

        lua.PushBuffer(input[offset..(offset + length)]);
        offset += length;
    }

    private static ulong Read(byte[] input, ref int offset, int size)
    {
        if (offset + size > input.Length)
        {
            throw new InvalidDataException();
        }

        ulong value = 0;
        for (var i = 0; i < size; i++)
        {
            value = (value << 8) | input[offset + i];
        }

        offset += size;
        return value;
    }
}
