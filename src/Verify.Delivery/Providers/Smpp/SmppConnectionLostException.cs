namespace Verify.Delivery.Providers.Smpp;

/// <summary>The connection closed (or was closed) before the answer came.</summary>
internal sealed class SmppConnectionLostException(string reason) : SmppException($"connection lost: {reason}");
