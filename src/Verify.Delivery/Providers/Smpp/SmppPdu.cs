using System.Buffers.Binary;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// One PDU (SMPP v3.4 §3.2): a 16-octet header of four big-endian integers (command_length, command_id,
/// command_status, sequence_number) and the body, whose layout depends on the command.
/// </summary>
internal sealed record SmppPdu(SmppCommandId CommandId, uint Status, uint Sequence, ReadOnlyMemory<byte> Body)
{
    public const int HeaderLength = 16;

    /// <summary>
    /// The largest PDU read: a submit_sm or deliver_sm is at most a few hundred octets even with TLVs;
    /// anything far beyond is a peer out of step, not a message.
    /// </summary>
    public const int MaxLength = 64 * 1024;

    public bool IsResponse => ((uint)CommandId & 0x80000000) != 0;

    public static SmppPdu Request(SmppCommandId commandId, uint sequence, ReadOnlyMemory<byte> body = default) => new(commandId, SmppCommandStatus.Ok, sequence, body);

    public static SmppPdu Response(SmppCommandId commandId, uint sequence, uint status = SmppCommandStatus.Ok, ReadOnlyMemory<byte> body = default) => new(commandId, status, sequence, body);

    public byte[] Encode()
    {
        var bytes = new byte[HeaderLength + Body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)bytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)CommandId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), Status);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), Sequence);
        Body.Span.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>Reads one whole PDU from <paramref name="bytes"/> (exactly command_length octets).</summary>
    public static SmppPdu Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
        {
            throw new SmppFormatException($"a PDU has at least {HeaderLength} octets, got {bytes.Length}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (length != bytes.Length)
        {
            throw new SmppFormatException($"command_length {length} does not match the {bytes.Length} octets read");
        }

        return new SmppPdu(
            (SmppCommandId)BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]),
            bytes[HeaderLength..].ToArray());
    }

    /// <summary>Reads the next PDU from <paramref name="stream"/>, or null at a clean end of stream between PDUs.</summary>
    public static async Task<SmppPdu?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var read = await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderLength)
        {
            throw new EndOfStreamException("the connection closed inside a PDU header");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length < HeaderLength || length > MaxLength)
        {
            throw new SmppFormatException($"command_length {length} is outside {HeaderLength}..{MaxLength}");
        }

        var bytes = new byte[length];
        header.CopyTo(bytes, 0);
        await stream.ReadExactlyAsync(bytes.AsMemory(HeaderLength), cancellationToken);
        return Decode(bytes);
    }
}
