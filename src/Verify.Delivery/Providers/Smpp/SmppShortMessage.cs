namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// The body of submit_sm (§4.4.1) and deliver_sm (§4.6.1), which share one layout: service_type, source
/// and destination addresses with their TON and NPI, esm_class, protocol_id, priority_flag,
/// schedule_delivery_time, validity_period, registered_delivery, replace_if_present_flag, data_coding,
/// sm_default_msg_id, sm_length and short_message (at most 254 octets), then the TLVs. A class, not a
/// record: a record's ToString would print the text.
/// </summary>
internal sealed class SmppShortMessage
{
    public const int ServiceTypeMax = 6;
    public const int AddressMax = 21;
    public const int TimeMax = 17;
    public const int ShortMessageMax = 254;

    /// <summary>esm_class bit 6: short_message starts with a user data header (§5.2.12).</summary>
    public const byte UdhIndicator = 0x40;

    /// <summary>esm_class bits 2-5 in a deliver_sm: what kind of message it is (0 = an ordinary, mobile-originated one).</summary>
    public const byte MessageTypeMask = 0x3C;

    /// <summary>esm_class message type: SMSC delivery receipt.</summary>
    public const byte DeliveryReceipt = 0x04;

    /// <summary>esm_class message type: intermediate delivery notification.</summary>
    public const byte IntermediateNotification = 0x20;

    public string ServiceType { get; init; } = string.Empty;

    public byte SourceTon { get; init; }

    public byte SourceNpi { get; init; }

    public string SourceAddress { get; init; } = string.Empty;

    public byte DestinationTon { get; init; }

    public byte DestinationNpi { get; init; }

    public string DestinationAddress { get; init; } = string.Empty;

    public byte EsmClass { get; init; }

    public byte ProtocolId { get; init; }

    public byte PriorityFlag { get; init; }

    public string ScheduleDeliveryTime { get; init; } = string.Empty;

    public string ValidityPeriod { get; init; } = string.Empty;

    public byte RegisteredDelivery { get; init; }

    public byte ReplaceIfPresent { get; init; }

    public byte DataCoding { get; init; }

    public byte DefaultMessageId { get; init; }

    public byte[] Message { get; init; } = [];

    public IReadOnlyList<SmppTlv> Tlvs { get; init; } = [];

    public byte[] Encode()
    {
        if (Message.Length > ShortMessageMax)
        {
            throw new SmppFormatException($"short_message carries at most {ShortMessageMax} octets");
        }

        var writer = new SmppPduWriter()
            .CString(ServiceType, ServiceTypeMax)
            .Byte(SourceTon)
            .Byte(SourceNpi)
            .CString(SourceAddress, AddressMax)
            .Byte(DestinationTon)
            .Byte(DestinationNpi)
            .CString(DestinationAddress, AddressMax)
            .Byte(EsmClass)
            .Byte(ProtocolId)
            .Byte(PriorityFlag)
            .CString(ScheduleDeliveryTime, TimeMax)
            .CString(ValidityPeriod, TimeMax)
            .Byte(RegisteredDelivery)
            .Byte(ReplaceIfPresent)
            .Byte(DataCoding)
            .Byte(DefaultMessageId)
            .Byte((byte)Message.Length)
            .Octets(Message);
        foreach (var tlv in Tlvs)
        {
            writer.Tlv(tlv);
        }

        return writer.ToArray();
    }

    public static SmppShortMessage Decode(ReadOnlySpan<byte> body)
    {
        var reader = new SmppPduReader(body);
        return new SmppShortMessage
        {
            ServiceType = reader.CString(ServiceTypeMax),
            SourceTon = reader.Byte(),
            SourceNpi = reader.Byte(),
            SourceAddress = reader.CString(AddressMax),
            DestinationTon = reader.Byte(),
            DestinationNpi = reader.Byte(),
            DestinationAddress = reader.CString(AddressMax),
            EsmClass = reader.Byte(),
            ProtocolId = reader.Byte(),
            PriorityFlag = reader.Byte(),
            ScheduleDeliveryTime = reader.CString(TimeMax),
            ValidityPeriod = reader.CString(TimeMax),
            RegisteredDelivery = reader.Byte(),
            ReplaceIfPresent = reader.Byte(),
            DataCoding = reader.Byte(),
            DefaultMessageId = reader.Byte(),
            Message = reader.Octets(reader.Byte()),
            Tlvs = reader.Tlvs(),
        };
    }

    public SmppTlv? Tlv(ushort tag) => Tlvs.FirstOrDefault(t => t.Tag == tag);
}
