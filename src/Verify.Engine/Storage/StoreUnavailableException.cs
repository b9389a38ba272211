namespace Verify.Engine.Storage;

/// <summary>The store did not answer in time or at all; the call is answered UNAVAILABLE and nothing is accepted.</summary>
internal sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
