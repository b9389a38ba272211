namespace Verify.Delivery.Providers.Smpp;

/// <summary>The command ids of the PDUs this client speaks (SMPP v3.4 §5.1.2.1). A response is its request's id with bit 31 set.</summary>
internal enum SmppCommandId : uint
{
    GenericNack = 0x80000000,
    SubmitSm = 0x00000004,
    SubmitSmResp = 0x80000004,
    DeliverSm = 0x00000005,
    DeliverSmResp = 0x80000005,
    Unbind = 0x00000006,
    UnbindResp = 0x80000006,
    BindTransceiver = 0x00000009,
    BindTransceiverResp = 0x80000009,
    EnquireLink = 0x00000015,
    EnquireLinkResp = 0x80000015,

    /// <summary>Sent by an SMSC, never answered (§4.12).</summary>
    AlertNotification = 0x00000102,
}
