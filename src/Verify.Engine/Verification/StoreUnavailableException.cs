namespace Verify.Engine.Verification;

/// <summary>
/// The engine's one failure: its store did not answer in time or at all, so nothing was accepted, counted or
/// sent. The API layer answers it UNAVAILABLE; the store raises it for every Redis failure (fail closed).
/// </summary>
internal sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
