namespace Verify.Server.Delivery.Providers.Smpp;

/// <summary>A request the session could not complete; <see cref="Exception.Message"/> is safe for logs and failure reasons.</summary>
internal class SmppException(string message) : Exception(message);

/// <summary>The connection closed (or was closed) before the answer came.</summary>
internal sealed class SmppConnectionLostException(string reason) : SmppException($"connection lost: {reason}");

/// <summary>No answer within the response timeout.</summary>
internal sealed class SmppResponseTimeoutException(SmppCommandId command, TimeSpan timeout)
    : SmppException($"no answer to {SmppCommandNames.Of(command)} within {timeout.TotalSeconds:0.###} s");

/// <summary>The SMSC refused bind_transceiver.</summary>
internal sealed class SmppBindRefusedException(uint status) : SmppException($"bind refused: {SmppCommandStatus.Describe(status)}")
{
    public uint Status { get; } = status;
}
