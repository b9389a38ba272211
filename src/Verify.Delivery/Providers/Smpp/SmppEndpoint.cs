namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// What one session is opened with. The sender compares it with the live settings: when a reload changes
/// any of it, the session is closed and a new one bound, so a changed password or host applies without a
/// restart. <see cref="ToString"/> leaves the password out.
/// </summary>
internal sealed record SmppEndpoint(
    string Host,
    int Port,
    bool UseTls,
    string SystemId,
    string Password,
    string SystemType,
    int WindowSize,
    TimeSpan ResponseTimeout,
    TimeSpan EnquireLinkInterval)
{
    public static SmppEndpoint From(SmppOptions options) => new(
        options.Host,
        options.Port,
        options.UseTls,
        options.SystemId,
        options.Password,
        options.SystemType,
        options.WindowSize,
        options.ResponseTimeout,
        options.EnquireLinkInterval);

    public override string ToString() => $"{Host}:{Port}{(UseTls ? " (TLS)" : string.Empty)} as {SystemId}";
}
