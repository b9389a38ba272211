namespace Verify.Delivery.Providers.Smpp;

/// <summary>No answer within the response timeout.</summary>
internal sealed class SmppResponseTimeoutException(SmppCommandId command, TimeSpan timeout)
    : SmppException($"no answer to {SmppCommandNames.Of(command)} within {timeout.TotalSeconds:0.###} s");
