namespace Verify.Delivery.Providers.Smpp;

/// <summary>A request the session could not complete; <see cref="Exception.Message"/> is safe for logs and failure reasons.</summary>
internal class SmppException(string message) : Exception(message);
