namespace Verify.Delivery.Providers.Smpp;

/// <summary>The SMSC refused bind_transceiver.</summary>
internal sealed class SmppBindRefusedException(uint status) : SmppException($"bind refused: {SmppCommandStatus.Describe(status)}")
{
    public uint Status { get; } = status;
}
