using System.Buffers.Binary;
using System.Text;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>Builds a PDU body field by field in SMPP's encodings (§3.1): integers big-endian, C-Octet Strings NUL-terminated.</summary>
internal sealed class SmppPduWriter
{
    private readonly List<byte> _bytes = new(64);

    public SmppPduWriter Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    /// <summary>An ASCII C-Octet String of at most <paramref name="maxLength"/> octets counting the NUL (the spec's "Var. max" size).</summary>
    public SmppPduWriter CString(string value, int maxLength)
    {
        if (value.Length + 1 > maxLength)
        {
            throw new SmppFormatException($"a field of at most {maxLength - 1} characters got {value.Length}");
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new SmppFormatException("C-Octet String fields carry printable ASCII only");
            }

            _bytes.Add((byte)c);
        }

        _bytes.Add(0);
        return this;
    }

    public SmppPduWriter Octets(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public SmppPduWriter Tlv(ushort tag, ReadOnlySpan<byte> value)
    {
        Span<byte> head = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(head, tag);
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], checked((ushort)value.Length));
        return Octets(head).Octets(value);
    }

    public SmppPduWriter Tlv(SmppTlv tlv) => Tlv(tlv.Tag, tlv.Value);

    public byte[] ToArray() => _bytes.ToArray();

    public static byte[] CStringBytes(string value) => [.. Encoding.ASCII.GetBytes(value), 0];
}
