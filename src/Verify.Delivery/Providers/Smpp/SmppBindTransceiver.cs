namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// bind_transceiver (SMPP v3.4 §4.1.5): one session that both submits messages and receives deliver_sm
/// (the receipts). The ESME's address range is left NULL: this client only sends.
/// </summary>
internal sealed record SmppBindTransceiver(string SystemId, string Password, string SystemType)
{
    /// <summary>interface_version 0x34: SMPP v3.4 (§5.2.4).</summary>
    public const byte InterfaceVersion = 0x34;

    public const int SystemIdMax = 16;
    public const int PasswordMax = 9;
    public const int SystemTypeMax = 13;
    public const int AddressRangeMax = 41;

    public byte[] Encode() => new SmppPduWriter()
        .CString(SystemId, SystemIdMax)
        .CString(Password, PasswordMax)
        .CString(SystemType, SystemTypeMax)
        .Byte(InterfaceVersion)
        .Byte(0) // addr_ton: unknown
        .Byte(0) // addr_npi: unknown
        .CString(string.Empty, AddressRangeMax)
        .ToArray();

    public static SmppBindTransceiver Decode(ReadOnlySpan<byte> body)
    {
        var reader = new SmppPduReader(body);
        var bind = new SmppBindTransceiver(reader.CString(SystemIdMax), reader.CString(PasswordMax), reader.CString(SystemTypeMax));
        if (reader.Byte() != InterfaceVersion)
        {
            throw new SmppFormatException("interface_version is not 0x34");
        }

        reader.Byte();
        reader.Byte();
        reader.CString(AddressRangeMax);
        return bind;
    }

    /// <summary>bind_transceiver_resp (§4.1.6): the SMSC's system_id, then optionally sc_interface_version. An error answer may have no body.</summary>
    public static string DecodeResponse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return string.Empty;
        }

        var reader = new SmppPduReader(body);
        var systemId = reader.CString(SystemIdMax);
        reader.Tlvs();
        return systemId;
    }
}
