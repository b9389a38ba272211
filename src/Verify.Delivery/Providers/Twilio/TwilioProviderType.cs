using FluentValidation;

namespace Verify.Delivery.Providers.Twilio;

/// <summary>"twilio": <see cref="TwilioSmsSender"/> for SMS and voice, <see cref="TwilioReceiptEndpoint"/> for status callbacks.</summary>
internal sealed class TwilioProviderType : DeliveryProviderType<TwilioOptions>
{
    public const string Name = "twilio";

    public override string Type => Name;

    public override bool SupportsVoice => true;

    protected override IValidator<TwilioOptions> Validator { get; } = new TwilioOptionsValidator();

    public override ISmsSender CreateSender(ProviderContext context, IServiceProvider services) => new TwilioSmsSender(
        context,
        services.GetRequiredService<IHttpClientFactory>(),
        services.GetRequiredService<ILogger<TwilioSmsSender>>());

    public override IDeliveryReceiptEndpoint CreateReceiptEndpoint(ProviderContext context, IServiceProvider services) =>
        new TwilioReceiptEndpoint(context, services.GetRequiredService<ILogger<TwilioReceiptEndpoint>>());
}
