using System.Text;
using Verify.Delivery;
using Verify.Delivery.Providers.Smpp;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

public sealed class SmppReceiptParserTests
{
    private const string Text = "id:0123456789 sub:001 dlvrd:001 submit date:2611221000 done date:2611221001 stat:DELIVRD err:000 text:Verify: 1234";

    [Fact]
    public void Parse_AppendixBText_ReadsIdStatAndError()
    {
        var receipt = SmppReceiptParser.Parse(Deliver(0x04, Text))!;

        Assert.Equal("0123456789", receipt.MessageId);
        Assert.Equal("DELIVRD", receipt.Stat);
        Assert.Equal("000", receipt.Error);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
    }

    [Fact]
    public void Parse_Tlvs_WinOverTheText()
    {
        var deliver = Deliver(0x04, Text, new SmppTlv(SmppTlv.ReceiptedMessageId, "ABCDEF\0"u8.ToArray()), new SmppTlv(SmppTlv.MessageState, [5]));

        var receipt = SmppReceiptParser.Parse(deliver)!;

        Assert.Equal("ABCDEF", receipt.MessageId);
        Assert.Equal("UNDELIV", receipt.Stat);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
    }

    [Fact]
    public void Parse_TextInMessagePayload_IsRead()
    {
        var deliver = Deliver(0x04, string.Empty, new SmppTlv(SmppTlv.MessagePayload, Encoding.ASCII.GetBytes("id:77 stat:EXPIRED err:1")));

        var receipt = SmppReceiptParser.Parse(deliver)!;

        Assert.Equal("77", receipt.MessageId);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
    }

    [Fact]
    public void Parse_Ucs2Text_IsRead()
    {
        var deliver = new SmppShortMessage { EsmClass = 0x04, DataCoding = 8, Message = Encoding.BigEndianUnicode.GetBytes("id:99 stat:REJECTD err:0") };

        var receipt = SmppReceiptParser.Parse(deliver)!;

        Assert.Equal("99", receipt.MessageId);
        Assert.Equal(DeliveryState.Failed, receipt.State);
    }

    [Fact]
    public void Parse_LowerCaseKeys_AreRead() =>
        Assert.Equal("abc", SmppReceiptParser.Parse(Deliver(0x04, "ID:abc SUB:001 Stat:delivrd"))!.MessageId);

    [Fact]
    public void Parse_NoId_IsNull() => Assert.Null(SmppReceiptParser.Parse(Deliver(0x04, "sub:001 stat:DELIVRD")));

    [Fact]
    public void Parse_NoState_IsNull() => Assert.Null(SmppReceiptParser.Parse(Deliver(0x04, "id:1 sub:001")));

    [Theory]
    [InlineData(0x04, true)] // SMSC delivery receipt
    [InlineData(0x20, true)] // intermediate delivery notification
    [InlineData(0x44, true)] // receipt with UDHI
    [InlineData(0x00, false)] // mobile originated
    [InlineData(0x08, false)] // SME delivery acknowledgement
    public void IsReceipt_FollowsTheEsmClassMessageType(byte esmClass, bool receipt) =>
        Assert.Equal(receipt, SmppReceiptParser.IsReceipt(Deliver(esmClass, Text)));

    [Fact]
    public void IsReceipt_ReceiptedMessageIdWithoutEsmClass_IsAReceipt() =>
        Assert.True(SmppReceiptParser.IsReceipt(Deliver(0x00, string.Empty, new SmppTlv(SmppTlv.ReceiptedMessageId, "1\0"u8.ToArray()))));

    [Theory]
    [InlineData("DELIVRD", "Delivered")]
    [InlineData("UNDELIV", "Undelivered")]
    [InlineData("EXPIRED", "Undelivered")]
    [InlineData("DELETED", "Undelivered")]
    [InlineData("SKIPPED", "Undelivered")]
    [InlineData("REJECTD", "Failed")]
    [InlineData("ENROUTE", "Sent")]
    [InlineData("ACCEPTD", "Sent")]
    [InlineData("UNKNOWN", null)]
    [InlineData("BOGUS", null)]
    public void StateOf_MapsEveryAppendixBState(string stat, string? state) =>
        Assert.Equal(state is null ? null : Enum.Parse<DeliveryState>(state), SmppReceiptParser.StateOf(stat));

    [Theory]
    [InlineData(1, "ENROUTE")]
    [InlineData(2, "DELIVRD")]
    [InlineData(3, "EXPIRED")]
    [InlineData(4, "DELETED")]
    [InlineData(5, "UNDELIV")]
    [InlineData(6, "ACCEPTD")]
    [InlineData(7, "UNKNOWN")]
    [InlineData(8, "REJECTD")]
    public void StatOf_NamesMessageStateValues(byte value, string stat) => Assert.Equal(stat, SmppReceiptParser.StatOf(value));

    private static SmppShortMessage Deliver(byte esmClass, string text, params SmppTlv[] tlvs) => new()
    {
        EsmClass = esmClass,
        Message = Encoding.ASCII.GetBytes(text),
        Tlvs = tlvs,
    };
}
