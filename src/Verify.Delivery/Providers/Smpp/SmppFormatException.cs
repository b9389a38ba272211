namespace Verify.Delivery.Providers.Smpp;

/// <summary>A PDU that does not follow SMPP v3.4's layout (a field too long, a missing NUL, a length that lies).</summary>
internal sealed class SmppFormatException(string message) : SmppException(message);
