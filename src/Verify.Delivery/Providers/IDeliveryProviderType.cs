namespace Verify.Delivery.Providers;

/// <summary>
/// One kind of channel ("twilio", "smpp", …). Each provider configured under
/// <c>Verify:Delivery:Providers:&lt;name&gt;</c> names its kind with <c>Type</c>; the kind reads and checks
/// its own keys there (on start and on every reload), creates the sender, and, when the provider
/// reports deliveries over HTTP, the endpoint that takes its receipts.
/// </summary>
internal interface IDeliveryProviderType
{
    /// <summary>The value of <c>Type</c>, lower case, e.g. "twilio".</summary>
    string Type { get; }

    /// <summary>Whether it can make a call that speaks the code (<see cref="DeliveryChannel.Voice"/>).</summary>
    bool SupportsVoice => false;

    /// <summary>The keys of the provider's own settings (the properties of its options class), for spotting typos.</summary>
    IReadOnlyCollection<string> Keys { get; }

    /// <summary>
    /// Reads the provider's own settings from its section. Each problem is added as "key: reason" with
    /// the full key (e.g. "Verify:Delivery:Providers:sms-cn:AccessKeyId: required"); the result is then ignored.
    /// </summary>
    object Bind(IConfigurationSection section, List<string> problems);

    /// <summary>Once per configured provider, at start. Settings may change later: read <see cref="ProviderContext.Settings{T}"/> per send.</summary>
    ISmsSender CreateSender(ProviderContext context, IServiceProvider services);

    /// <summary>The endpoint for the provider's delivery receipts, or null when it sends none over HTTP.</summary>
    IDeliveryReceiptEndpoint? CreateReceiptEndpoint(ProviderContext context, IServiceProvider services);
}
