namespace Verify.Delivery.Providers.Smpp;

/// <summary>An optional parameter (SMPP v3.4 §3.3, §5.3): a 2-octet tag, a 2-octet length, and the value.</summary>
internal sealed record SmppTlv(ushort Tag, byte[] Value)
{
    /// <summary>receipted_message_id (§5.3.2.12): the SMSC's id of the message a receipt is about, a C-Octet String.</summary>
    public const ushort ReceiptedMessageId = 0x001E;

    /// <summary>sc_interface_version (§5.3.2.25), in bind responses.</summary>
    public const ushort ScInterfaceVersion = 0x0210;

    /// <summary>network_error_code (§5.3.2.31): network type (1 octet) and error code (2 octets).</summary>
    public const ushort NetworkErrorCode = 0x0423;

    /// <summary>message_payload (§5.3.2.32): the text when short_message is empty.</summary>
    public const ushort MessagePayload = 0x0424;

    /// <summary>message_state (§5.3.2.35): 1 octet, the values of §5.2.28.</summary>
    public const ushort MessageState = 0x0427;
}
