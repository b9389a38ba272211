using Verify.Delivery.Providers.Smpp;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>
/// Every PDU the client writes or reads, against byte arrays laid out by hand from SMPP v3.4 §4 (header:
/// command_length, command_id, command_status, sequence_number, each 4 octets big-endian).
/// </summary>
public sealed class SmppPduCodecTests
{
    [Fact]
    public void BindTransceiver_Encode_FollowsSection4_1_5()
    {
        var pdu = SmppPdu.Request(SmppCommandId.BindTransceiver, 1, new SmppBindTransceiver("verify", "s3cr3t", "OTP").Encode());

        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x26, // command_length 38
            0x00, 0x00, 0x00, 0x09, // bind_transceiver
            0x00, 0x00, 0x00, 0x00, // command_status
            0x00, 0x00, 0x00, 0x01, // sequence_number
            (byte)'v', (byte)'e', (byte)'r', (byte)'i', (byte)'f', (byte)'y', 0x00, // system_id
            (byte)'s', (byte)'3', (byte)'c', (byte)'r', (byte)'3', (byte)'t', 0x00, // password
            (byte)'O', (byte)'T', (byte)'P', 0x00, // system_type
            0x34, // interface_version 3.4
            0x00, 0x00, // addr_ton, addr_npi
            0x00, // address_range NULL
        ];
        Assert.Equal(expected, pdu.Encode());
        var decoded = SmppPdu.Decode(expected);
        Assert.Equal(SmppCommandId.BindTransceiver, decoded.CommandId);
        Assert.Equal(new SmppBindTransceiver("verify", "s3cr3t", "OTP"), SmppBindTransceiver.Decode(decoded.Body.Span));
    }

    [Fact]
    public void BindTransceiver_PasswordOver8Characters_IsRefused() =>
        Assert.Throws<SmppFormatException>(() => new SmppBindTransceiver("verify", "123456789", string.Empty).Encode());

    [Fact]
    public void BindTransceiverResp_Decode_ReadsSystemIdAndSkipsScInterfaceVersion()
    {
        byte[] bytes =
        [
            0x00, 0x00, 0x00, 0x1A, 0x80, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
            (byte)'S', (byte)'M', (byte)'S', (byte)'C', 0x00,
            0x02, 0x10, 0x00, 0x01, 0x34, // sc_interface_version 0x34
        ];

        var pdu = SmppPdu.Decode(bytes);

        Assert.Equal(SmppCommandId.BindTransceiverResp, pdu.CommandId);
        Assert.True(pdu.IsResponse);
        Assert.Equal("SMSC", SmppBindTransceiver.DecodeResponse(pdu.Body.Span));
    }

    [Fact]
    public void BindTransceiverResp_ErrorWithoutBody_Decodes()
    {
        byte[] bytes = [0x00, 0x00, 0x00, 0x10, 0x80, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x0D, 0x00, 0x00, 0x00, 0x01];

        var pdu = SmppPdu.Decode(bytes);

        Assert.Equal(SmppCommandStatus.BindFailed, pdu.Status);
        Assert.Equal(string.Empty, SmppBindTransceiver.DecodeResponse(pdu.Body.Span));
    }

    [Fact]
    public void SubmitSm_Encode_FollowsSection4_4_1()
    {
        var submit = new SmppShortMessage
        {
            SourceTon = 5,
            SourceNpi = 0,
            SourceAddress = "Verify",
            DestinationTon = 1,
            DestinationNpi = 1,
            DestinationAddress = "8613812345678",
            EsmClass = 0x40,
            ValidityPeriod = "000000001000000R",
            RegisteredDelivery = 1,
            DataCoding = 8,
            Message = [0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x00, 0x41],
        };

        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x4C, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
            0x00, // service_type NULL
            0x05, 0x00, // source_addr_ton, source_addr_npi
            (byte)'V', (byte)'e', (byte)'r', (byte)'i', (byte)'f', (byte)'y', 0x00,
            0x01, 0x01, // dest_addr_ton, dest_addr_npi
            (byte)'8', (byte)'6', (byte)'1', (byte)'3', (byte)'8', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', 0x00,
            0x40, // esm_class: UDHI
            0x00, 0x00, // protocol_id, priority_flag
            0x00, // schedule_delivery_time NULL
            (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'1', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'0', (byte)'R', 0x00,
            0x01, // registered_delivery
            0x00, // replace_if_present_flag
            0x08, // data_coding UCS-2
            0x00, // sm_default_msg_id
            0x08, // sm_length
            0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, 0x00, 0x41,
        ];
        var encoded = SmppPdu.Request(SmppCommandId.SubmitSm, 7, submit.Encode()).Encode();

        Assert.Equal(expected, encoded);
        var decoded = SmppShortMessage.Decode(SmppPdu.Decode(encoded).Body.Span);
        Assert.Equal(submit.Encode(), decoded.Encode());
        Assert.Equal("8613812345678", decoded.DestinationAddress);
        Assert.Equal(submit.Message, decoded.Message);
    }

    [Fact]
    public void SubmitSmResp_Decode_ReadsTheMessageId()
    {
        byte[] bytes = [0x00, 0x00, 0x00, 0x17, 0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, (byte)'A', (byte)'B', (byte)'C', (byte)'1', (byte)'2', (byte)'3', 0x00];

        var pdu = SmppPdu.Decode(bytes);

        Assert.Equal(SmppCommandId.SubmitSmResp, pdu.CommandId);
        Assert.Equal(7u, pdu.Sequence);
        Assert.Equal("ABC123", SmppMessageIdBody.Decode(pdu.Body.Span));
        Assert.Equal(bytes, SmppPdu.Response(SmppCommandId.SubmitSmResp, 7, body: SmppMessageIdBody.Encode("ABC123")).Encode());
    }

    [Fact]
    public void SubmitSmResp_ThrottledWithoutBody_Decodes()
    {
        byte[] bytes = [0x00, 0x00, 0x00, 0x10, 0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x07];

        var pdu = SmppPdu.Decode(bytes);

        Assert.Equal(SmppCommandStatus.Throttled, pdu.Status);
        Assert.Equal(string.Empty, SmppMessageIdBody.Decode(pdu.Body.Span));
        Assert.Equal("ESME_RTHROTTLED (0x00000058)", SmppCommandStatus.Describe(pdu.Status));
    }

    [Fact]
    public void DeliverSm_Decode_ReadsMandatoryFieldsAndTlvs()
    {
        var text = "id:1A2B sub:001 dlvrd:001 submit date:2611221000 done date:2611221001 stat:DELIVRD err:000 text:"u8.ToArray();
        byte[] body =
        [
            0x00, // service_type
            0x01, 0x01, (byte)'8', (byte)'6', (byte)'1', 0x00, // source: the handset
            0x05, 0x00, (byte)'V', 0x00, // destination: our sender id
            0x04, // esm_class: SMSC delivery receipt
            0x00, 0x00, 0x00, 0x00, // protocol_id, priority_flag, schedule_delivery_time, validity_period
            0x00, 0x00, 0x00, 0x00, // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
            (byte)text.Length, .. text,
            0x00, 0x1E, 0x00, 0x05, (byte)'1', (byte)'A', (byte)'2', (byte)'B', 0x00, // receipted_message_id
            0x04, 0x27, 0x00, 0x01, 0x02, // message_state DELIVERED
        ];
        var bytes = new SmppPdu(SmppCommandId.DeliverSm, 0, 3, body).Encode();

        var pdu = SmppPdu.Decode(bytes);
        var deliver = SmppShortMessage.Decode(pdu.Body.Span);

        Assert.Equal(SmppCommandId.DeliverSm, pdu.CommandId);
        Assert.Equal((uint)(16 + body.Length), (uint)bytes.Length);
        Assert.Equal("861", deliver.SourceAddress);
        Assert.Equal("V", deliver.DestinationAddress);
        Assert.Equal(0x04, deliver.EsmClass);
        Assert.Equal(text, deliver.Message);
        Assert.Equal(2, deliver.Tlvs.Count);
        Assert.Equal("1A2B\0"u8.ToArray(), deliver.Tlv(SmppTlv.ReceiptedMessageId)!.Value);
        Assert.Equal([0x02], deliver.Tlv(SmppTlv.MessageState)!.Value);
        Assert.Equal(body, deliver.Encode());
    }

    [Fact]
    public void DeliverSmResp_Encode_CarriesANullMessageId()
    {
        byte[] expected = [0x00, 0x00, 0x00, 0x11, 0x80, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00];

        Assert.Equal(expected, SmppPdu.Response(SmppCommandId.DeliverSmResp, 3, body: SmppMessageIdBody.Encode(string.Empty)).Encode());
    }

    [Theory]
    [InlineData((uint)SmppCommandId.EnquireLink, 0u, new byte[] { 0x00, 0x00, 0x00, 0x15 })]
    [InlineData((uint)SmppCommandId.EnquireLinkResp, 0u, new byte[] { 0x80, 0x00, 0x00, 0x15 })]
    [InlineData((uint)SmppCommandId.Unbind, 0u, new byte[] { 0x00, 0x00, 0x00, 0x06 })]
    [InlineData((uint)SmppCommandId.UnbindResp, 0u, new byte[] { 0x80, 0x00, 0x00, 0x06 })]
    [InlineData((uint)SmppCommandId.GenericNack, 3u, new byte[] { 0x80, 0x00, 0x00, 0x00 })]
    public void HeaderOnlyPdus_EncodeAndDecode(uint commandValue, uint status, byte[] commandId)
    {
        var command = (SmppCommandId)commandValue;
        byte[] expected = [0x00, 0x00, 0x00, 0x10, .. commandId, 0x00, 0x00, 0x00, (byte)status, 0x7F, 0xFF, 0xFF, 0xFF];

        Assert.Equal(expected, new SmppPdu(command, status, 0x7FFFFFFF, ReadOnlyMemory<byte>.Empty).Encode());
        var decoded = SmppPdu.Decode(expected);
        Assert.Equal(command, decoded.CommandId);
        Assert.Equal(status, decoded.Status);
        Assert.Equal(0x7FFFFFFFu, decoded.Sequence);
        Assert.True(decoded.Body.IsEmpty);
    }

    [Fact]
    public void Decode_LengthThatLies_IsAFormatError() =>
        Assert.Throws<SmppFormatException>(() => SmppPdu.Decode([0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x15, 0, 0, 0, 0, 0, 0, 0, 1]));

    [Fact]
    public void Decode_CStringWithoutNul_IsAFormatError() =>
        Assert.Throws<SmppFormatException>(() => SmppMessageIdBody.Decode("ABC"u8));

    [Fact]
    public void Decode_CStringOverItsMaximum_IsAFormatError() =>
        Assert.Throws<SmppFormatException>(() => SmppMessageIdBody.Decode([.. Enumerable.Repeat((byte)'1', 65), 0x00]));

    [Fact]
    public void Decode_TlvRunningPastTheBody_IsAFormatError()
    {
        var body = new SmppShortMessage().Encode().Concat(new byte[] { 0x04, 0x27, 0x00, 0x05, 0x02 }).ToArray();

        Assert.Throws<SmppFormatException>(() => SmppShortMessage.Decode(body));
    }

    [Fact]
    public async Task ReadAsync_PdusSplitAcrossReads_AreReassembled()
    {
        var first = SmppPdu.Request(SmppCommandId.EnquireLink, 1).Encode();
        var second = SmppPdu.Response(SmppCommandId.SubmitSmResp, 2, body: SmppMessageIdBody.Encode("42")).Encode();
        using var stream = new TrickleStream([.. first, .. second], chunk: 3);

        var a = await SmppPdu.ReadAsync(stream, CancellationToken.None);
        var b = await SmppPdu.ReadAsync(stream, CancellationToken.None);
        var end = await SmppPdu.ReadAsync(stream, CancellationToken.None);

        Assert.Equal(SmppCommandId.EnquireLink, a!.CommandId);
        Assert.Equal("42", SmppMessageIdBody.Decode(b!.Body.Span));
        Assert.Null(end);
    }

    [Theory]
    [InlineData(15u)]
    [InlineData(70_000u)]
    public async Task ReadAsync_ImpossibleCommandLength_IsAFormatError(uint length)
    {
        byte[] header = [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1];
        using var stream = new MemoryStream(header);

        await Assert.ThrowsAsync<SmppFormatException>(() => SmppPdu.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideAPdu_Throws()
    {
        using var stream = new MemoryStream(SmppPdu.Request(SmppCommandId.EnquireLink, 1).Encode()[..10]);

        await Assert.ThrowsAsync<EndOfStreamException>(() => SmppPdu.ReadAsync(stream, CancellationToken.None));
    }

    /// <summary>Hands out at most <c>chunk</c> octets per read, as TCP may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
