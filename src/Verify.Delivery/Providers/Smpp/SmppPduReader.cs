using System.Buffers.Binary;
using System.Text;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>Reads a PDU body field by field; a field that runs past the body or over its maximum size is a <see cref="SmppFormatException"/>.</summary>
internal ref struct SmppPduReader(ReadOnlySpan<byte> body)
{
    private readonly ReadOnlySpan<byte> _body = body;
    private int _position;

    public readonly bool AtEnd => _position >= _body.Length;

    public byte Byte()
    {
        if (_position >= _body.Length)
        {
            throw new SmppFormatException("the body ends before a 1-octet field");
        }

        return _body[_position++];
    }

    /// <summary>A C-Octet String of at most <paramref name="maxLength"/> octets counting the NUL, read as Latin-1 (ids and addresses are ASCII).</summary>
    public string CString(int maxLength)
    {
        var rest = _body[_position..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new SmppFormatException("a C-Octet String has no NUL before the end of the body");
        }

        if (end + 1 > maxLength)
        {
            throw new SmppFormatException($"a C-Octet String of {end + 1} octets exceeds its {maxLength}");
        }

        _position += end + 1;
        return Encoding.Latin1.GetString(rest[..end]);
    }

    public byte[] Octets(int length)
    {
        if (length > _body.Length - _position)
        {
            throw new SmppFormatException($"a field of {length} octets runs past the end of the body");
        }

        var value = _body.Slice(_position, length).ToArray();
        _position += length;
        return value;
    }

    /// <summary>The optional parameters that follow the mandatory fields, to the end of the body.</summary>
    public List<SmppTlv> Tlvs()
    {
        var tlvs = new List<SmppTlv>();
        while (!AtEnd)
        {
            if (_body.Length - _position < 4)
            {
                throw new SmppFormatException("a TLV header runs past the end of the body");
            }

            var tag = BinaryPrimitives.ReadUInt16BigEndian(_body[_position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_body[(_position + 2)..]);
            _position += 4;
            tlvs.Add(new SmppTlv(tag, Octets(length)));
        }

        return tlvs;
    }
}
