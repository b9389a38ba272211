namespace Verify.Delivery;

/// <summary>
/// Hands a message to an SMS channel. A sender answers a failure with <see cref="SendResult.Failure"/>
/// rather than throwing; cancellation (the caller's deadline) throws as usual.
/// </summary>
internal interface ISmsSender
{
    /// <summary>A short name for logs and metrics, e.g. "webhook".</summary>
    string Name { get; }

    Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);

    /// <summary>Whether a message of this purpose, destination country and channel has somewhere to go (the router: whether a route serves it).</summary>
    bool CanServe(string purpose, string regionCode, DeliveryChannel channel) => channel == DeliveryChannel.Sms;
}
